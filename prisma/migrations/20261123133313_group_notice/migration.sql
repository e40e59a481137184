-- CreateTable
CREATE TABLE "GroupNotice" (
    "chatRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("chatRef", "kind")
);

