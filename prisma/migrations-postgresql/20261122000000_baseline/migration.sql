-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "County" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "County_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Town" (
    "id" SERIAL NOT NULL,
    "countyId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Town_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Village" (
    "id" SERIAL NOT NULL,
    "townId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "Village_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "School" (
    "id" SERIAL NOT NULL,
    "countyId" INTEGER NOT NULL,
    "townId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "School_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolClass" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "grade" INTEGER NOT NULL,
    "classNo" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "SchoolClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Student" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Student_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "staffId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "townId" INTEGER,
    "villageId" INTEGER,
    "schoolId" INTEGER,
    "classId" INTEGER,
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatAccount" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "boundAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ChatAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InviteCode" (
    "code" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedBy" TEXT,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "InviteCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "GroupBinding" (
    "id" SERIAL NOT NULL,
    "chatRef" TEXT NOT NULL,
    "classId" INTEGER NOT NULL,
    "boundById" INTEGER NOT NULL,
    "boundAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttendanceMark" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "supersedesId" INTEGER,

    CONSTRAINT "AttendanceMark_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClassAttendance" (
    "id" SERIAL NOT NULL,
    "classId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClassAttendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WeeklyCount" (
    "id" SERIAL NOT NULL,
    "classId" INTEGER NOT NULL,
    "week" TEXT NOT NULL,
    "enrolled" INTEGER,
    "present" INTEGER,
    "leave" INTEGER,
    "sick" INTEGER,
    "personal" INTEGER,
    "truant" INTEGER,
    "dropout" INTEGER,
    "returned" INTEGER,
    "rawText" TEXT NOT NULL,
    "reportedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "supersedesId" INTEGER,
    "note" TEXT,

    CONSTRAINT "WeeklyCount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingConfirmation" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "resolution" TEXT,

    CONSTRAINT "PendingConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "streakSince" TEXT NOT NULL,
    "streakDays" INTEGER NOT NULL,
    "raisedOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "closedReason" TEXT,
    "remindAfterMin" INTEGER,
    "visitWithinMin" INTEGER,
    "escalation" TEXT NOT NULL DEFAULT 'none',
    "escalatedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertRecipient" (
    "id" SERIAL NOT NULL,
    "alertId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "outboxId" INTEGER,
    "notifiedAt" TIMESTAMP(3) NOT NULL,
    "ackAt" TIMESTAMP(3),

    CONSTRAINT "AlertRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DropoutCase" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "openedOn" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DropoutCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HomeVisit" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "caseId" INTEGER,
    "visitorId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "chatRef" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HomeVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthlyConfirmation" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthlyConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TownConfirmation" (
    "id" SERIAL NOT NULL,
    "townId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TownConfirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyRun" (
    "key" TEXT NOT NULL,
    "duty" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "ranAt" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DutyRun_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" INTEGER,
    "chatRef" TEXT,
    "action" TEXT NOT NULL,
    "detail" TEXT NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" SERIAL NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "chatRef" TEXT NOT NULL,
    "personId" INTEGER,
    "text" TEXT NOT NULL,
    "buttons" TEXT,
    "attachment" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'reply',
    "dutyKey" TEXT,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "notBefore" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "deadReportedAt" TIMESTAMP(3),

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundMessage" (
    "platform" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboundMessage_pkey" PRIMARY KEY ("platform","messageId")
);

-- CreateTable
CREATE TABLE "RegisterEvent" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "change" TEXT NOT NULL,
    "on" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "classId" INTEGER,
    "fromClassId" INTEGER,
    "toClassId" INTEGER,

    CONSTRAINT "RegisterEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InviteFailure" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InviteFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutyFailure" (
    "key" TEXT NOT NULL,
    "duty" TEXT NOT NULL,
    "retryFrom" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL,
    "lastError" TEXT NOT NULL,
    "firstFailedAt" TIMESTAMP(3) NOT NULL,
    "lastFailedAt" TIMESTAMP(3) NOT NULL,
    "nextAttemptAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "DutyFailure_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "GroupNotice" (
    "chatRef" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GroupNotice_pkey" PRIMARY KEY ("chatRef","kind")
);

-- CreateTable
CREATE TABLE "InboundUpdate" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "chatRef" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "handledAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "InboundUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudentGuarantor" (
    "id" SERIAL NOT NULL,
    "studentId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StudentGuarantor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionDraw" (
    "id" SERIAL NOT NULL,
    "quarter" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "commitment" TEXT NOT NULL,
    "drawnById" INTEGER,
    "drawnAt" TIMESTAMP(3) NOT NULL,
    "revealedAt" TIMESTAMP(3),
    "revealedById" INTEGER,

    CONSTRAINT "InspectionDraw_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" SERIAL NOT NULL,
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
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "supersedesId" INTEGER,

    CONSTRAINT "InspectionFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rectification" (
    "id" SERIAL NOT NULL,
    "drawId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "schoolYear" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "deadline" TEXT NOT NULL,
    "strike" INTEGER NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "completedById" INTEGER,
    "completionNote" TEXT,

    CONSTRAINT "Rectification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolYellowCard" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "schoolYear" TEXT NOT NULL,
    "rectificationId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchoolYellowCard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FaultRecord" (
    "id" SERIAL NOT NULL,
    "alertId" INTEGER NOT NULL,
    "studentId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "notifiedAt" TIMESTAMP(3) NOT NULL,
    "ackAt" TIMESTAMP(3),
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FaultRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TransferRequest" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransferRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TransferStep" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "note" TEXT,
    "on" TEXT NOT NULL,
    "byId" INTEGER NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TransferStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CohortIntake" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "entryYear" INTEGER NOT NULL,
    "grade1Intake" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CohortIntake_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchoolAgePopulation" (
    "id" SERIAL NOT NULL,
    "townId" INTEGER NOT NULL,
    "villageId" INTEGER,
    "year" INTEGER NOT NULL,
    "primaryAge" INTEGER NOT NULL,
    "juniorAge" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchoolAgePopulation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateTarget" (
    "id" SERIAL NOT NULL,
    "unitKind" TEXT NOT NULL,
    "unitId" INTEGER NOT NULL,
    "figure" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL,
    "byId" INTEGER,

    CONSTRAINT "RateTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChainEntry" (
    "id" SERIAL NOT NULL,
    "tableName" TEXT NOT NULL,
    "rowId" INTEGER NOT NULL,
    "layoutId" INTEGER NOT NULL,
    "rowHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "ChainEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChainLayout" (
    "id" SERIAL NOT NULL,
    "tableName" TEXT NOT NULL,
    "columns" TEXT NOT NULL,

    CONSTRAINT "ChainLayout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthReopening" (
    "id" SERIAL NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "confirmedFigures" TEXT NOT NULL,
    "currentFigures" TEXT NOT NULL,
    "causeTable" TEXT NOT NULL,
    "causeRowId" INTEGER NOT NULL,
    "byId" INTEGER NOT NULL,
    "reopenedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthReopening_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonthReconfirmation" (
    "id" SERIAL NOT NULL,
    "reopeningId" INTEGER NOT NULL,
    "schoolId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "figures" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "chatRef" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonthReconfirmation_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "Student_status_idx" ON "Student"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Person_staffId_key" ON "Person"("staffId");

-- CreateIndex
CREATE INDEX "Person_role_idx" ON "Person"("role");

-- CreateIndex
CREATE INDEX "Person_classId_idx" ON "Person"("classId");

-- CreateIndex
CREATE INDEX "Person_schoolId_idx" ON "Person"("schoolId");

-- CreateIndex
CREATE INDEX "Person_villageId_idx" ON "Person"("villageId");

-- CreateIndex
CREATE INDEX "Person_townId_idx" ON "Person"("townId");

-- CreateIndex
CREATE INDEX "ChatAccount_platform_accountId_idx" ON "ChatAccount"("platform", "accountId");

-- CreateIndex
CREATE INDEX "ChatAccount_personId_idx" ON "ChatAccount"("personId");

-- CreateIndex
CREATE INDEX "InviteCode_personId_idx" ON "InviteCode"("personId");

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
CREATE INDEX "ClassAttendance_date_idx" ON "ClassAttendance"("date");

-- CreateIndex
CREATE INDEX "WeeklyCount_classId_week_idx" ON "WeeklyCount"("classId", "week");

-- CreateIndex
CREATE INDEX "WeeklyCount_week_idx" ON "WeeklyCount"("week");

-- CreateIndex
CREATE INDEX "PendingConfirmation_personId_chatRef_idx" ON "PendingConfirmation"("personId", "chatRef");

-- CreateIndex
CREATE INDEX "Alert_studentId_status_idx" ON "Alert"("studentId", "status");

-- CreateIndex
CREATE INDEX "Alert_status_idx" ON "Alert"("status");

-- CreateIndex
CREATE INDEX "AlertRecipient_personId_idx" ON "AlertRecipient"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "AlertRecipient_alertId_personId_key" ON "AlertRecipient"("alertId", "personId");

-- CreateIndex
CREATE INDEX "DropoutCase_studentId_idx" ON "DropoutCase"("studentId");

-- CreateIndex
CREATE INDEX "DropoutCase_state_idx" ON "DropoutCase"("state");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_idx" ON "CaseEvent"("caseId");

-- CreateIndex
CREATE INDEX "HomeVisit_studentId_idx" ON "HomeVisit"("studentId");

-- CreateIndex
CREATE UNIQUE INDEX "MonthlyConfirmation_schoolId_month_key" ON "MonthlyConfirmation"("schoolId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "TownConfirmation_townId_month_key" ON "TownConfirmation"("townId", "month");

-- CreateIndex
CREATE INDEX "DutyRun_duty_period_idx" ON "DutyRun"("duty", "period");

-- CreateIndex
CREATE INDEX "AuditLog_action_idx" ON "AuditLog"("action");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Outbox_status_createdAt_idx" ON "Outbox"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Outbox_claimedAt_idx" ON "Outbox"("claimedAt");

-- CreateIndex
CREATE INDEX "Outbox_chatRef_status_idx" ON "Outbox"("chatRef", "status");

-- CreateIndex
CREATE INDEX "Outbox_chatRef_claimedAt_idx" ON "Outbox"("chatRef", "claimedAt");

-- CreateIndex
CREATE INDEX "Outbox_kind_createdAt_idx" ON "Outbox"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "RegisterEvent_studentId_idx" ON "RegisterEvent"("studentId");

-- CreateIndex
CREATE INDEX "RegisterEvent_on_idx" ON "RegisterEvent"("on");

-- CreateIndex
CREATE INDEX "InviteFailure_platform_accountId_at_idx" ON "InviteFailure"("platform", "accountId", "at");

-- CreateIndex
CREATE INDEX "DutyFailure_resolvedAt_idx" ON "DutyFailure"("resolvedAt");

-- CreateIndex
CREATE INDEX "InboundUpdate_handledAt_id_idx" ON "InboundUpdate"("handledAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboundUpdate_platform_updateId_key" ON "InboundUpdate"("platform", "updateId");

-- CreateIndex
CREATE INDEX "StudentGuarantor_studentId_personId_idx" ON "StudentGuarantor"("studentId", "personId");

-- CreateIndex
CREATE INDEX "StudentGuarantor_personId_idx" ON "StudentGuarantor"("personId");

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

-- CreateIndex
CREATE INDEX "CohortIntake_schoolId_entryYear_idx" ON "CohortIntake"("schoolId", "entryYear");

-- CreateIndex
CREATE INDEX "CohortIntake_entryYear_idx" ON "CohortIntake"("entryYear");

-- CreateIndex
CREATE INDEX "SchoolAgePopulation_year_townId_idx" ON "SchoolAgePopulation"("year", "townId");

-- CreateIndex
CREATE INDEX "RateTarget_unitKind_unitId_idx" ON "RateTarget"("unitKind", "unitId");

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

-- AddForeignKey
ALTER TABLE "Town" ADD CONSTRAINT "Town_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Village" ADD CONSTRAINT "Village_townId_fkey" FOREIGN KEY ("townId") REFERENCES "Town"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "School" ADD CONSTRAINT "School_countyId_fkey" FOREIGN KEY ("countyId") REFERENCES "County"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "School" ADD CONSTRAINT "School_townId_fkey" FOREIGN KEY ("townId") REFERENCES "Town"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchoolClass" ADD CONSTRAINT "SchoolClass_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Student" ADD CONSTRAINT "Student_classId_fkey" FOREIGN KEY ("classId") REFERENCES "SchoolClass"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Student" ADD CONSTRAINT "Student_villageId_fkey" FOREIGN KEY ("villageId") REFERENCES "Village"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertRecipient" ADD CONSTRAINT "AlertRecipient_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "DropoutCase"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransferStep" ADD CONSTRAINT "TransferStep_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "TransferRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

