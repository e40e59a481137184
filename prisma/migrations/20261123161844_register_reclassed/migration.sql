-- AlterTable
ALTER TABLE "RegisterEvent" ADD COLUMN "fromClassId" INTEGER;
ALTER TABLE "RegisterEvent" ADD COLUMN "toClassId" INTEGER;

