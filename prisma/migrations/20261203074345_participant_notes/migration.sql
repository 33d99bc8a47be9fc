-- CreateTable
CREATE TABLE "ParticipantNote" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParticipantNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ParticipantNote_organizationId_participantId_createdAt_idx" ON "ParticipantNote"("organizationId", "participantId", "createdAt");

-- AddForeignKey
ALTER TABLE "ParticipantNote" ADD CONSTRAINT "ParticipantNote_organizationId_participantId_fkey" FOREIGN KEY ("organizationId", "participantId") REFERENCES "Participant"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
