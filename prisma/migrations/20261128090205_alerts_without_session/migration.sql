-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "dedupeKey" TEXT,
ADD COLUMN     "programId" UUID,
ALTER COLUMN "sessionId" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");
