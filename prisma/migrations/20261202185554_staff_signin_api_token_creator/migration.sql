-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "createdByActor" TEXT;
