-- CreateTable
CREATE TABLE "TownConfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DutyRun" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "duty" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "ranAt" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "streakSince" TEXT NOT NULL,
    "streakDays" INTEGER NOT NULL,
    "raisedOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "closedReason" TEXT,
    "remindAfterMin" INTEGER,
    "visitWithinMin" INTEGER,
    "escalation" TEXT NOT NULL DEFAULT 'none',
    "escalatedAt" DATETIME
);
INSERT INTO "new_Alert" ("closedAt", "closedReason", "createdAt", "id", "raisedOn", "status", "step", "streakDays", "streakSince", "studentId") SELECT "closedAt", "closedReason", "createdAt", "id", "raisedOn", "status", "step", "streakDays", "streakSince", "studentId" FROM "Alert";
DROP TABLE "Alert";
ALTER TABLE "new_Alert" RENAME TO "Alert";
CREATE INDEX "Alert_studentId_status_idx" ON "Alert"("studentId", "status");
CREATE TABLE "new_Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL,
    "chatRef" TEXT NOT NULL,
    "personId" INTEGER,
    "text" TEXT NOT NULL,
    "buttons" TEXT,
    "attachment" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'reply',
    "dutyKey" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "notBefore" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "lastError" TEXT,
    "sentAt" DATETIME
);
INSERT INTO "new_Outbox" ("attachment", "attempts", "buttons", "chatRef", "createdAt", "id", "lastError", "personId", "sentAt", "status", "text") SELECT "attachment", "attempts", "buttons", "chatRef", "createdAt", "id", "lastError", "personId", "sentAt", "status", "text" FROM "Outbox";
DROP TABLE "Outbox";
ALTER TABLE "new_Outbox" RENAME TO "Outbox";
CREATE INDEX "Outbox_status_idx" ON "Outbox"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "TownConfirmation_townId_month_key" ON "TownConfirmation"("townId", "month");

-- CreateIndex
CREATE INDEX "DutyRun_duty_period_idx" ON "DutyRun"("duty", "period");

