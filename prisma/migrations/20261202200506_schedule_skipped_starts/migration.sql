-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN     "skippedStarts" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[];
