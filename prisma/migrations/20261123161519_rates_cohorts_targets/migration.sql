-- CreateTable
CREATE TABLE "CohortIntake" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schoolId" INTEGER NOT NULL,
    "entryYear" INTEGER NOT NULL,
    "grade1Intake" INTEGER NOT NULL,
    "importedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SchoolAgePopulation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townId" INTEGER NOT NULL,
    "villageId" INTEGER,
    "year" INTEGER NOT NULL,
    "primaryAge" INTEGER NOT NULL,
    "juniorAge" INTEGER NOT NULL,
    "importedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RateTarget" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitKind" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "figure" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "setAt" DATETIME NOT NULL,
    "byId" INTEGER
);

-- CreateIndex
CREATE INDEX "CohortIntake_schoolId_entryYear_idx" ON "CohortIntake"("schoolId", "entryYear");

-- CreateIndex
CREATE INDEX "CohortIntake_entryYear_idx" ON "CohortIntake"("entryYear");

-- CreateIndex
CREATE INDEX "SchoolAgePopulation_year_townId_idx" ON "SchoolAgePopulation"("year", "townId");

-- CreateIndex
CREATE INDEX "RateTarget_unitKind_unitId_idx" ON "RateTarget"("unitKind", "unitId");

