-- CreateTable
CREATE TABLE "InboundUpdate" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "chatRef" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "handledAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "InboundUpdate_handledAt_id_idx" ON "InboundUpdate"("handledAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboundUpdate_platform_updateId_key" ON "InboundUpdate"("platform", "updateId");

