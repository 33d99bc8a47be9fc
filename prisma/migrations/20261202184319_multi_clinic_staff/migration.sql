-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('owner', 'admin', 'facilitator', 'viewer');

-- CreateEnum
CREATE TYPE "StaffStatus" AS ENUM ('pending', 'active', 'removed');

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "createdById" UUID,
ADD COLUMN     "lastUsedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "DashboardSession" ADD COLUMN     "staffAccountId" UUID;

-- CreateTable
CREATE TABLE "StaffAccount" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" "StaffRole" NOT NULL DEFAULT 'viewer',
    "status" "StaffStatus" NOT NULL DEFAULT 'pending',
    "slackUserId" TEXT,
    "microsoftUserId" TEXT,
    "zoomUserId" TEXT,
    "approvedById" UUID,
    "approvedAt" TIMESTAMPTZ(3),
    "lastSignInAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StaffAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgramAssignment" (
    "programId" UUID NOT NULL,
    "staffAccountId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgramAssignment_pkey" PRIMARY KEY ("programId","staffAccountId")
);

-- CreateIndex
CREATE INDEX "StaffAccount_organizationId_idx" ON "StaffAccount"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_organizationId_slackUserId_key" ON "StaffAccount"("organizationId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_organizationId_microsoftUserId_key" ON "StaffAccount"("organizationId", "microsoftUserId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffAccount_organizationId_zoomUserId_key" ON "StaffAccount"("organizationId", "zoomUserId");

-- CreateIndex
CREATE INDEX "ProgramAssignment_staffAccountId_idx" ON "ProgramAssignment"("staffAccountId");

-- AddForeignKey
ALTER TABLE "StaffAccount" ADD CONSTRAINT "StaffAccount_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramAssignment" ADD CONSTRAINT "ProgramAssignment_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramAssignment" ADD CONSTRAINT "ProgramAssignment_staffAccountId_fkey" FOREIGN KEY ("staffAccountId") REFERENCES "StaffAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DashboardSession" ADD CONSTRAINT "DashboardSession_staffAccountId_fkey" FOREIGN KEY ("staffAccountId") REFERENCES "StaffAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;
