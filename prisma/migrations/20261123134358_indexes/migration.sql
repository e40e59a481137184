-- CreateIndex
CREATE INDEX "Student_status_idx" ON "Student"("status");

-- CreateIndex
CREATE INDEX "Person_classId_idx" ON "Person"("classId");

-- CreateIndex
CREATE INDEX "Person_schoolId_idx" ON "Person"("schoolId");

-- CreateIndex
CREATE INDEX "Person_villageId_idx" ON "Person"("villageId");

-- CreateIndex
CREATE INDEX "Person_townId_idx" ON "Person"("townId");

-- CreateIndex
CREATE INDEX "ClassAttendance_date_idx" ON "ClassAttendance"("date");

-- CreateIndex
CREATE INDEX "WeeklyCount_week_idx" ON "WeeklyCount"("week");

-- CreateIndex
CREATE INDEX "Alert_status_idx" ON "Alert"("status");

-- CreateIndex
CREATE INDEX "AlertRecipient_personId_idx" ON "AlertRecipient"("personId");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_idx" ON "CaseEvent"("caseId");

