-- CreateTable
CREATE TABLE "ChainEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tableName" TEXT NOT NULL,
    "rowId" INTEGER NOT NULL,
    "layoutId" INTEGER NOT NULL,
    "rowHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ChainLayout" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tableName" TEXT NOT NULL,
    "columns" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "MonthReopening" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "confirmedFigures" TEXT NOT NULL,
    "currentFigures" TEXT NOT NULL,
    "causeTable" TEXT NOT NULL,
    "causeRowId" INTEGER NOT NULL,
    "byId" INTEGER NOT NULL,
    "reopenedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MonthReconfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reopeningId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ChainEntry_tableName_rowId_key" ON "ChainEntry"("tableName", "rowId");

-- CreateIndex
CREATE UNIQUE INDEX "ChainLayout_tableName_columns_key" ON "ChainLayout"("tableName", "columns");

-- CreateIndex
CREATE INDEX "MonthReopening_schoolId_month_idx" ON "MonthReopening"("schoolId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "MonthReconfirmation_reopeningId_key" ON "MonthReconfirmation"("reopeningId");

-- CreateIndex
CREATE INDEX "MonthReconfirmation_schoolId_month_idx" ON "MonthReconfirmation"("schoolId", "month");

