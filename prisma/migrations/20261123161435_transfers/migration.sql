-- AlterTable
ALTER TABLE "RegisterEvent" ADD COLUMN "classId" INTEGER;

-- CreateTable
CREATE TABLE "TransferRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fromSchoolId" INTEGER NOT NULL,
    "fromClassId" INTEGER NOT NULL,
    "toSchoolId" INTEGER,
    "toText" TEXT,
    "needsCounty" BOOLEAN NOT NULL DEFAULT false,
    "on" TEXT NOT NULL,
    "schoolYear" TEXT,
    "state" TEXT NOT NULL,
    "requestedById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TransferStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "note" TEXT,
    "on" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "TransferStep_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "TransferRequest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TransferRequest_studentId_state_idx" ON "TransferRequest"("studentId", "state");

-- CreateIndex
CREATE INDEX "TransferRequest_state_idx" ON "TransferRequest"("state");

-- CreateIndex
CREATE INDEX "TransferRequest_toSchoolId_state_idx" ON "TransferRequest"("toSchoolId", "state");

-- CreateIndex
CREATE INDEX "TransferRequest_fromSchoolId_state_idx" ON "TransferRequest"("fromSchoolId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "TransferRequest_kind_studentId_schoolYear_key" ON "TransferRequest"("kind", "studentId", "schoolYear");

-- CreateIndex
CREATE INDEX "TransferStep_requestId_idx" ON "TransferStep"("requestId");

