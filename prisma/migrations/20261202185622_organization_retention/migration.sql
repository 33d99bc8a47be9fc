-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "deletionWarnedDays" INTEGER,
ADD COLUMN     "platformsGoneAt" TIMESTAMPTZ(3);
