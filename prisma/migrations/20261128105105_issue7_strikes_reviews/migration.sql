-- AlterTable
ALTER TABLE "Absence" ADD COLUMN     "reason" TEXT;

-- AlterTable
ALTER TABLE "Attendance" ADD COLUMN     "overriddenAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "closedAt" TIMESTAMPTZ(3),
ADD COLUMN     "closedBy" TEXT,
ADD COLUMN     "dedupeKey" TEXT,
ADD COLUMN     "notes" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "rule" TEXT;

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "lastContactAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "FollowUp_dedupeKey_key" ON "FollowUp"("dedupeKey");

-- CreateIndex
CREATE INDEX "FollowUp_organizationId_programId_participantId_idx" ON "FollowUp"("organizationId", "programId", "participantId");
