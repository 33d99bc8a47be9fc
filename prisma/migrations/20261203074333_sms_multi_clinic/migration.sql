-- CreateIndex
CREATE INDEX "Participant_phone_idx" ON "Participant"("phone");

-- CreateIndex
CREATE INDEX "ParticipantOutboxMessage_externalMessageId_idx" ON "ParticipantOutboxMessage"("externalMessageId");
