-- AlterEnum
ALTER TYPE "Platform" ADD VALUE 'sms';

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "phone" TEXT,
ADD COLUMN     "smsChoices" JSONB,
ADD COLUMN     "smsChoicesAt" TIMESTAMPTZ(3),
ADD COLUMN     "smsConsent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "smsConsentAt" TIMESTAMPTZ(3),
ADD COLUMN     "smsConsentSource" TEXT;

-- AlterTable
ALTER TABLE "ParticipantOutboxMessage" ADD COLUMN     "deliveryStatus" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Participant_organizationId_phone_key" ON "Participant"("organizationId", "phone");
