-- CreateTable
CREATE TABLE "StudentGuarantor" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "StudentGuarantor_studentId_personId_idx" ON "StudentGuarantor"("studentId", "personId");

-- CreateIndex
CREATE INDEX "StudentGuarantor_personId_idx" ON "StudentGuarantor"("personId");

