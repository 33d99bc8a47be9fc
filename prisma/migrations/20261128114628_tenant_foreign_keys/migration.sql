-- AddForeignKey
ALTER TABLE "ChatConversation" ADD CONSTRAINT "ChatConversation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaterialOffer" ADD CONSTRAINT "MaterialOffer_organizationId_participantId_fkey" FOREIGN KEY ("organizationId", "participantId") REFERENCES "Participant"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParticipantOutboxMessage" ADD CONSTRAINT "ParticipantOutboxMessage_organizationId_participantId_fkey" FOREIGN KEY ("organizationId", "participantId") REFERENCES "Participant"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpBooking" ADD CONSTRAINT "MakeUpBooking_organizationId_participantId_fkey" FOREIGN KEY ("organizationId", "participantId") REFERENCES "Participant"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpBooking" ADD CONSTRAINT "MakeUpBooking_organizationId_missedSessionId_fkey" FOREIGN KEY ("organizationId", "missedSessionId") REFERENCES "Session"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MakeUpBooking" ADD CONSTRAINT "MakeUpBooking_organizationId_makeUpSessionId_fkey" FOREIGN KEY ("organizationId", "makeUpSessionId") REFERENCES "Session"("organizationId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
