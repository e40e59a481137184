-- CreateTable
CREATE TABLE "InboundMessage" (
    "platform" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "messageId")
);

