-- CreateTable
CREATE TABLE "DutyFailure" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "duty" TEXT NOT NULL,
    "retryFrom" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL,
    "lastError" TEXT NOT NULL,
    "firstFailedAt" DATETIME NOT NULL,
    "lastFailedAt" DATETIME NOT NULL,
    "nextAttemptAt" DATETIME,
    "resolvedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DutyFailure_resolvedAt_idx" ON "DutyFailure"("resolvedAt");

