-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "postAttemptedAt" TIMESTAMPTZ(3);
