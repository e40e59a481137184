-- AlterTable
ALTER TABLE "WeeklyCount" ADD COLUMN "note" TEXT;
ALTER TABLE "WeeklyCount" ADD COLUMN "personal" INTEGER;
ALTER TABLE "WeeklyCount" ADD COLUMN "sick" INTEGER;

