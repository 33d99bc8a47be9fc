-- CreateTable
CREATE TABLE "ParticipantOutboxMessage" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "platform" "Platform",
    "platformUserId" TEXT,
    "message" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "externalMessageId" TEXT,
    "sendAttemptedAt" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ParticipantOutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MakeUpBooking" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "missedSessionId" UUID NOT NULL,
    "makeUpSessionId" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'booked',
    "bookedVia" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MakeUpBooking_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ParticipantOutboxMessage_dedupeKey_key" ON "ParticipantOutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "ParticipantOutboxMessage_state_updatedAt_idx" ON "ParticipantOutboxMessage"("state", "updatedAt");

-- CreateIndex
CREATE INDEX "ParticipantOutboxMessage_organizationId_participantId_creat_idx" ON "ParticipantOutboxMessage"("organizationId", "participantId", "createdAt");

-- CreateIndex
CREATE INDEX "MakeUpBooking_organizationId_makeUpSessionId_idx" ON "MakeUpBooking"("organizationId", "makeUpSessionId");

-- CreateIndex
CREATE INDEX "MakeUpBooking_organizationId_participantId_idx" ON "MakeUpBooking"("organizationId", "participantId");

-- CreateIndex
CREATE UNIQUE INDEX "MakeUpBooking_participantId_missedSessionId_key" ON "MakeUpBooking"("participantId", "missedSessionId");
