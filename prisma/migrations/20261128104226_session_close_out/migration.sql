-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "closedOutAt" TIMESTAMPTZ(3);
