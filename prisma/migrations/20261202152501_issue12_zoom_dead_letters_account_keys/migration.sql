-- AlterTable
ALTER TABLE "Installation" ADD COLUMN     "encryptedExternalId" TEXT;

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "event" TEXT,
    "reason" TEXT NOT NULL,
    "sealedBody" TEXT NOT NULL,
    "bodyBytes" INTEGER NOT NULL,
    "bodyDigest" TEXT NOT NULL,
    "accountKey" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeadLetter_organizationId_receivedAt_idx" ON "DeadLetter"("organizationId", "receivedAt");

-- CreateIndex
CREATE INDEX "DeadLetter_receivedAt_idx" ON "DeadLetter"("receivedAt");

-- CreateIndex
CREATE INDEX "DeadLetter_accountKey_idx" ON "DeadLetter"("accountKey");

-- CreateIndex
CREATE UNIQUE INDEX "DeadLetter_platform_bodyDigest_key" ON "DeadLetter"("platform", "bodyDigest");

-- AddForeignKey
ALTER TABLE "DeadLetter" ADD CONSTRAINT "DeadLetter_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
