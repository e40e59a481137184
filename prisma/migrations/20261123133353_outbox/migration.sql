-- DropIndex
DROP INDEX "Outbox_status_idx";

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "deadReportedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_status_createdAt_idx" ON "Outbox"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Outbox_claimedAt_idx" ON "Outbox"("claimedAt");

-- CreateIndex
CREATE INDEX "Outbox_chatRef_status_idx" ON "Outbox"("chatRef", "status");

-- CreateIndex
CREATE INDEX "Outbox_chatRef_claimedAt_idx" ON "Outbox"("chatRef", "claimedAt");

-- CreateIndex
CREATE INDEX "Outbox_kind_createdAt_idx" ON "Outbox"("kind", "createdAt");

