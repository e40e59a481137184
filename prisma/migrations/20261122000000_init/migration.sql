-- CreateTable
CREATE TABLE "County" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Town" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "countyId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Town_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Village" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "townId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Village_townId_fkey" FOREIGN KEY ("townId") REFERENCES "Town" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "School" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "countyId" INTEGER NOT NULL,
    "townId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "School_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "School_townId_fkey" FOREIGN KEY ("townId") REFERENCES "Town" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SchoolClass" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schoolId" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "grade" INTEGER NOT NULL,
    "classNo" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "SchoolClass_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Student" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentNo" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gender" TEXT NOT NULL,
    "classId" INTEGER NOT NULL,
    "villageId" INTEGER NOT NULL,
    "groupName" TEXT,
    "guardian" TEXT,
    "guardianPhone" TEXT,
    "attention" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'enrolled',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Student_classId_fkey" FOREIGN KEY ("classId") REFERENCES "SchoolClass" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Student_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "staffId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "townId" INTEGER,
    "villageId" INTEGER,
    "schoolId" INTEGER,
    "classId" INTEGER,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChatAccount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "boundAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InviteCode" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "personId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedBy" TEXT
);

-- CreateTable
CREATE TABLE "GroupBinding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatRef" TEXT NOT NULL,
    "classId" INTEGER NOT NULL,
    "boundById" INTEGER NOT NULL,
    "boundAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AttendanceMark" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "supersedesId" INTEGER
);

-- CreateTable
CREATE TABLE "ClassAttendance" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "classId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WeeklyCount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "classId" INTEGER NOT NULL,
    "week" TEXT NOT NULL,
    "enrolled" INTEGER,
    "present" INTEGER,
    "leave" INTEGER,
    "truant" INTEGER,
    "dropout" INTEGER,
    "returned" INTEGER,
    "rawText" TEXT NOT NULL,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    "supersedesId" INTEGER
);

-- CreateTable
CREATE TABLE "PendingConfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "resolution" TEXT
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "streakSince" TEXT NOT NULL,
    "streakDays" INTEGER NOT NULL,
    "raisedOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "closedReason" TEXT
);

-- CreateTable
CREATE TABLE "AlertRecipient" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "alertId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "outboxId" INTEGER,
    "notifiedAt" DATETIME NOT NULL,
    "ackAt" DATETIME,
    CONSTRAINT "AlertRecipient_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DropoutCase" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "openedOn" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" DATETIME NOT NULL,
    CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "DropoutCase" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HomeVisit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "studentId" INTEGER NOT NULL,
    "caseId" INTEGER,
    "visitorId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "chatRef" TEXT NOT NULL,
    "recordedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MonthlyConfirmation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" INTEGER,
    "chatRef" TEXT,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "createdAt" DATETIME NOT NULL,
    "chatRef" TEXT NOT NULL,
    "personId" INTEGER,
    "text" TEXT NOT NULL,
    "buttons" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "sentAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Town_countyId_name_key" ON "Town"("countyId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Village_townId_name_key" ON "Village"("townId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "School_countyId_name_key" ON "School"("countyId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "SchoolClass_schoolId_stage_grade_classNo_key" ON "SchoolClass"("schoolId", "stage", "grade", "classNo");

-- CreateIndex
CREATE UNIQUE INDEX "Student_studentNo_key" ON "Student"("studentNo");

-- CreateIndex
CREATE INDEX "Student_classId_idx" ON "Student"("classId");

-- CreateIndex
CREATE INDEX "Student_villageId_idx" ON "Student"("villageId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_staffId_key" ON "Person"("staffId");

-- CreateIndex
CREATE INDEX "Person_role_idx" ON "Person"("role");

-- CreateIndex
CREATE INDEX "ChatAccount_personId_idx" ON "ChatAccount"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatAccount_platform_accountId_key" ON "ChatAccount"("platform", "accountId");

-- CreateIndex
CREATE INDEX "GroupBinding_chatRef_idx" ON "GroupBinding"("chatRef");

-- CreateIndex
CREATE INDEX "GroupBinding_classId_idx" ON "GroupBinding"("classId");

-- CreateIndex
CREATE INDEX "AttendanceMark_studentId_date_idx" ON "AttendanceMark"("studentId", "date");

-- CreateIndex
CREATE INDEX "AttendanceMark_date_idx" ON "AttendanceMark"("date");

-- CreateIndex
CREATE INDEX "ClassAttendance_classId_date_idx" ON "ClassAttendance"("classId", "date");

-- CreateIndex
CREATE INDEX "WeeklyCount_classId_week_idx" ON "WeeklyCount"("classId", "week");

-- CreateIndex
CREATE INDEX "PendingConfirmation_personId_chatRef_idx" ON "PendingConfirmation"("personId", "chatRef");

-- CreateIndex
CREATE INDEX "Alert_studentId_status_idx" ON "Alert"("studentId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AlertRecipient_alertId_personId_key" ON "AlertRecipient"("alertId", "personId");

-- CreateIndex
CREATE INDEX "DropoutCase_studentId_idx" ON "DropoutCase"("studentId");

-- CreateIndex
CREATE INDEX "DropoutCase_state_idx" ON "DropoutCase"("state");

-- CreateIndex
CREATE INDEX "HomeVisit_studentId_idx" ON "HomeVisit"("studentId");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyConfirmation_schoolId_month_key" ON "MonthlyConfirmation"("schoolId", "month");

-- CreateIndex
CREATE INDEX "AuditLog_action_idx" ON "AuditLog"("action");

-- CreateIndex
CREATE INDEX "Outbox_status_idx" ON "Outbox"("status");

