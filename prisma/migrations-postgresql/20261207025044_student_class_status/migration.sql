-- DropIndex
DROP INDEX "Student_classId_idx";

-- CreateIndex
CREATE INDEX "Student_classId_status_idx" ON "Student"("classId", "status");

