-- DropIndex
DROP INDEX "Outbox_claimedAt_idx";

-- CreateIndex
CREATE INDEX "Outbox_claimedAt_chatRef_claimedBy_idx" ON "Outbox"("claimedAt", "chatRef", "claimedBy");

