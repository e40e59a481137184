-- CreateTable
CREATE TABLE "RegisterEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RegisterEvent_studentId_idx" ON "RegisterEvent"("studentId");

-- CreateIndex
CREATE INDEX "RegisterEvent_on_idx" ON "RegisterEvent"("on");

