-- CreateTable
CREATE TABLE "MaterialOffer" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "materialId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "platform" "Platform" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaterialOffer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MaterialOffer_organizationId_participantId_idx" ON "MaterialOffer"("organizationId", "participantId");

-- CreateIndex
CREATE UNIQUE INDEX "MaterialOffer_materialId_participantId_key" ON "MaterialOffer"("materialId", "participantId");

-- AddForeignKey
ALTER TABLE "MaterialOffer" ADD CONSTRAINT "MaterialOffer_materialId_fkey" FOREIGN KEY ("materialId") REFERENCES "Material"("id") ON DELETE CASCADE ON UPDATE CASCADE;
