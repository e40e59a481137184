-- DropIndex
DROP INDEX "ChatAccount_platform_accountId_key";

-- AlterTable
ALTER TABLE "ChatAccount" ADD COLUMN "revokedAt" DATETIME;

-- AlterTable
ALTER TABLE "InviteCode" ADD COLUMN "revokedAt" DATETIME;

-- CreateTable
CREATE TABLE "InviteFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "InviteFailure_platform_accountId_at_idx" ON "InviteFailure"("platform", "accountId", "at");

-- CreateIndex
CREATE INDEX "ChatAccount_platform_accountId_idx" ON "ChatAccount"("platform", "accountId");

-- CreateIndex
CREATE INDEX "InviteCode_personId_idx" ON "InviteCode"("personId");

