-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "meetingInfo" JSONB;

-- CreateTable
CREATE TABLE "ChatConversation" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "tenantId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "conversationType" TEXT NOT NULL,
    "teamId" TEXT,
    "userId" TEXT,
    "reference" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChatConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundDelivery" (
    "id" UUID NOT NULL,
    "platform" "Platform" NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "claimedAt" TIMESTAMPTZ(3) NOT NULL,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InboundDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChatConversation_organizationId_platform_userId_idx" ON "ChatConversation"("organizationId", "platform", "userId");

-- CreateIndex
CREATE INDEX "ChatConversation_platform_teamId_idx" ON "ChatConversation"("platform", "teamId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatConversation_platform_conversationId_key" ON "ChatConversation"("platform", "conversationId");

-- CreateIndex
CREATE INDEX "InboundDelivery_claimedAt_idx" ON "InboundDelivery"("claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "InboundDelivery_platform_deliveryId_key" ON "InboundDelivery"("platform", "deliveryId");
