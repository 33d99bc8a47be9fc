-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "evaluatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "wakeAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Session_endsAt_idx" ON "Session"("endsAt");
