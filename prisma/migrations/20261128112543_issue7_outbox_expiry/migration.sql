-- AlterTable
ALTER TABLE "ParticipantOutboxMessage" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3);
