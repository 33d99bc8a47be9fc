-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "importedAt" TIMESTAMPTZ(3);
