-- CreateTable
CREATE TABLE "InspectionDraw" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "quarter" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "commitment" TEXT NOT NULL,
    "drawnById" INTEGER,
    "drawnAt" DATETIME NOT NULL,
    "revealedAt" DATETIME,
    "revealedById" INTEGER
);

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "drawId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "classId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "enrolled" INTEGER NOT NULL,
    "presentFound" INTEGER NOT NULL,
    "presentRecorded" INTEGER NOT NULL,
    "taken" BOOLEAN NOT NULL,
    "absentIds" TEXT NOT NULL,
    "mismatches" TEXT NOT NULL,
    "failed" BOOLEAN NOT NULL,
    "byId" INTEGER,
    "chatRef" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "supersedesId" INTEGER
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "drawId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "schoolYear" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "deadline" TEXT NOT NULL,
    "strike" INTEGER NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    "completedById" INTEGER,
    "completionNote" TEXT
);

-- CreateTable
CREATE TABLE "SchoolYellowCard" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schoolId" INTEGER NOT NULL,
    "schoolYear" TEXT NOT NULL,
    "rectificationId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FaultRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "alertId" INTEGER NOT NULL,
    "studentId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "notifiedAt" DATETIME NOT NULL,
    "ackAt" DATETIME,
    "recordedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "InspectionDraw_quarter_key" ON "InspectionDraw"("quarter");

-- CreateIndex
CREATE INDEX "InspectionFinding_schoolId_date_idx" ON "InspectionFinding"("schoolId", "date");

-- CreateIndex
CREATE INDEX "InspectionFinding_drawId_classId_idx" ON "InspectionFinding"("drawId", "classId");

-- CreateIndex
CREATE INDEX "Rectification_schoolId_schoolYear_idx" ON "Rectification"("schoolId", "schoolYear");

-- CreateIndex
CREATE UNIQUE INDEX "Rectification_drawId_schoolId_key" ON "Rectification"("drawId", "schoolId");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolYellowCard_schoolId_schoolYear_key" ON "SchoolYellowCard"("schoolId", "schoolYear");

-- CreateIndex
CREATE INDEX "FaultRecord_schoolId_idx" ON "FaultRecord"("schoolId");

-- CreateIndex
CREATE INDEX "FaultRecord_personId_idx" ON "FaultRecord"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "FaultRecord_alertId_personId_key" ON "FaultRecord"("alertId", "personId");

