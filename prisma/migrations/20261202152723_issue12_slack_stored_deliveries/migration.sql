-- AlterTable
ALTER TABLE "InboundDelivery" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failedAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "payload" TEXT,
ADD COLUMN     "retryAfter" TIMESTAMPTZ(3);
