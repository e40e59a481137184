/**
 * Students with their class and school, and their village and town, in one SQL statement: the model API's
 * `include` of the same costs five statements, each through Prisma's query compiler, and a DM naming a pupil
 * (缺勤 name …) reads it on every message. The objects are built as the model API builds them: the student's
 * columns, then `class` (its columns, then `school`), then `village` (its columns, then `town`).
 */
import { Prisma, type School, type SchoolClass, type Student, type Town, type Village } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { columns, int, text, textOrNull, when } from './raw-rows.js';
import { queryRows } from './direct.js';

export type StudentFull = Student & { class: SchoolClass & { school: School }; village: Village & { town: Town } };

const STUDENT = [
  'id',
  'studentNo',
  'name',
  'gender',
  'classId',
  'villageId',
  'groupName',
  'guardian',
  'guardianPhone',
  'attention',
  'status',
  'createdAt',
  'updatedAt',
] as const;
const CLASS = ['id', 'schoolId', 'stage', 'grade', 'classNo', 'name'] as const;
const SCHOOL = ['id', 'countyId', 'townId', 'name', 'kind'] as const;
const VILLAGE = ['id', 'townId', 'name'] as const;
const TOWN = ['id', 'countyId', 'name'] as const;

const COLUMNS = Prisma.sql`${columns(STUDENT, 's', 's_')}, ${columns(CLASS, 'c', 'c_')}, ${columns(SCHOOL, 'h', 'h_')}, ${columns(VILLAGE, 'v', 'v_')}, ${columns(TOWN, 't', 't_')}`;
const FROM = Prisma.sql`FROM "Student" "s" JOIN "SchoolClass" "c" ON "c"."id" = "s"."classId" JOIN "School" "h" ON "h"."id" = "c"."schoolId"
  JOIN "Village" "v" ON "v"."id" = "s"."villageId" JOIN "Town" "t" ON "t"."id" = "v"."townId"`;

function full(r: Record<string, unknown>): StudentFull {
  return {
    id: int(r.s_id),
    studentNo: text(r.s_studentNo),
    name: text(r.s_name),
    gender: text(r.s_gender),
    classId: int(r.s_classId),
    villageId: int(r.s_villageId),
    groupName: textOrNull(r.s_groupName),
    guardian: textOrNull(r.s_guardian),
    guardianPhone: textOrNull(r.s_guardianPhone),
    attention: text(r.s_attention),
    status: text(r.s_status),
    createdAt: when(r.s_createdAt),
    updatedAt: when(r.s_updatedAt),
    class: {
      id: int(r.c_id),
      schoolId: int(r.c_schoolId),
      stage: text(r.c_stage),
      grade: int(r.c_grade),
      classNo: int(r.c_classNo),
      name: text(r.c_name),
      school: { id: int(r.h_id), countyId: int(r.h_countyId), townId: int(r.h_townId), name: text(r.h_name), kind: text(r.h_kind) },
    },
    village: {
      id: int(r.v_id),
      townId: int(r.v_townId),
      name: text(r.v_name),
      town: { id: int(r.t_id), countyId: int(r.t_countyId), name: text(r.t_name) },
    },
  };
}

/** Students matching `where` (a condition on "s", the student, and "c", the class), by id. */
export async function studentsFull(db: Tx, where: Prisma.Sql): Promise<StudentFull[]> {
  const rows = await queryRows<Record<string, unknown>>(db, Prisma.sql`SELECT ${COLUMNS} ${FROM} WHERE ${where} ORDER BY "s"."id" ASC`);
  return rows.map(full);
}

/** A student's mark in force on a day, as far as recording attendance asks (attendance.ts): null when none. */
export type DayMark = { status: string; note: string | null } | null;

/**
 * studentsFull, each with the mark in force on `date` (the day's latest, as currentMark reads it) in the same
 * statement: a 缺勤 naming a pupil read the pupil, then the pupil's day, one round trip each.
 */
export async function studentsFullWithMark(db: Tx, where: Prisma.Sql, date: string): Promise<(StudentFull & { dayMark: DayMark })[]> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    Prisma.sql`SELECT ${COLUMNS}, "m"."status" AS "m_status", "m"."note" AS "m_note" ${FROM}
      LEFT JOIN "AttendanceMark" "m" ON "m"."id" = (SELECT max("x"."id") FROM "AttendanceMark" "x" WHERE "x"."studentId" = "s"."id" AND "x"."date" = ${date})
      WHERE ${where} ORDER BY "s"."id" ASC`,
  );
  return rows.map((r) => ({ ...full(r), dayMark: r.m_status == null ? null : { status: text(r.m_status), note: textOrNull(r.m_note) } }));
}
