-- AlterTable
ALTER TABLE "PresenceEvent" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'live';

-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN     "joinUrl" TEXT;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "joinUrl" TEXT,
ADD COLUMN     "reconciledAt" TIMESTAMPTZ(3),
ADD COLUMN     "reconciliation" JSONB;

-- CreateTable
CREATE TABLE "Material" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "programId" UUID NOT NULL,
    "sessionId" UUID,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "encryptedPasscode" TEXT,
    "externalKey" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Material_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Material_externalKey_key" ON "Material"("externalKey");

-- CreateIndex
CREATE INDEX "Material_organizationId_programId_idx" ON "Material"("organizationId", "programId");

-- AddForeignKey
ALTER TABLE "Material" ADD CONSTRAINT "Material_organizationId_programId_fkey" FOREIGN KEY ("organizationId", "programId") REFERENCES "Program"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Material" ADD CONSTRAINT "Material_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE SET NULL ON UPDATE CASCADE;
