/**
 * Transfer requests (转学, 小升初) and their dated steps. A step is appended for every change; the request's `state`
 * repeats the latest step so open requests are found by index. Lists of ids are read in chunks of 500.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import type { Area } from '../domain/org.js';
import { OPEN_TRANSFER_STATES, type TransferState } from '../domain/transfer.js';
import { num, studentsInArea } from './area-sql.js';
import { insertRows } from './bulk-insert.js';

const CHUNK = 500;
const studentInclude = { class: { include: { school: true } }, village: { include: { town: true } } } as const;
const OPEN = [...OPEN_TRANSFER_STATES] as string[];

export async function schoolsOfCounty(db: Tx) {
  return db.school.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, townId: true, kind: true } });
}

export async function openTransferOf(db: Tx, studentId: number) {
  return db.transferRequest.findFirst({ where: { studentId, state: { in: OPEN } }, orderBy: { id: 'desc' } });
}

export async function transferById(db: Tx, id: number) {
  return db.transferRequest.findUnique({ where: { id } });
}

export type TransferRow = NonNullable<Awaited<ReturnType<typeof transferById>>>;

export interface NewTransfer {
  studentId: number;
  kind: 'transfer' | 'leaver';
  fromSchoolId: number;
  fromClassId: number;
  toSchoolId: number | null;
  toText: string | null;
  needsCounty: boolean;
  on: string;
  requestedById: number;
}

export async function createTransfer(db: Tx, t: NewTransfer, state: TransferState, today: string, at: Date): Promise<TransferRow> {
  const row = await db.transferRequest.create({ data: { ...t, state, createdAt: at } });
  await db.transferStep.create({ data: { requestId: row.id, state, action: 'requested', on: today, byId: t.requestedById, recordedAt: at } });
  return row;
}

/** Appends a step and moves the request to its state. */
export async function addStep(
  db: Tx,
  requestId: number,
  step: { state: TransferState; action: string; note?: string; on: string; byId: number },
  at: Date,
): Promise<void> {
  await db.transferStep.create({
    data: { requestId, state: step.state, action: step.action, note: step.note ?? null, on: step.on, byId: step.byId, recordedAt: at },
  });
  await db.transferRequest.update({ where: { id: requestId }, data: { state: step.state } });
}

export async function stepsOf(db: Tx, requestId: number) {
  return db.transferStep.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
}

/** Open requests of students whose 学籍号 is the token or ends with it (at least 6 characters), with the student. */
export async function openTransfersByStudentNo(db: Tx, token: string) {
  const students = await db.student.findMany({
    where: token.length >= 12 ? { studentNo: token } : { studentNo: { endsWith: token } },
    select: { id: true },
    take: 20,
  });
  if (students.length === 0) return [];
  const rows = await db.transferRequest.findMany({ where: { studentId: { in: students.map((s) => s.id) }, state: { in: OPEN } }, orderBy: { id: 'asc' } });
  const full = await db.student.findMany({ where: { id: { in: rows.map((r) => r.studentId) } }, include: studentInclude });
  const byId = new Map(full.map((s) => [s.id, s]));
  return rows.flatMap((r) => (byId.has(r.studentId) ? [{ ...r, student: byId.get(r.studentId)! }] : []));
}

/** A register event with the class the student was in at the time. */
export async function addRegisterEventIn(db: Tx, e: { studentId: number; change: string; on: string; byId: number; classId: number; at: Date }): Promise<void> {
  await db.registerEvent.create({ data: { studentId: e.studentId, change: e.change, on: e.on, byId: e.byId, classId: e.classId, recordedAt: e.at } });
}

/** The open transfer's state of each of these students (chunks of 500). */
export async function openTransferStates(db: Tx, studentIds: readonly number[]): Promise<Map<number, { id: number; state: string }>> {
  const out = new Map<number, { id: number; state: string }>();
  const ids = [...new Set(studentIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.transferRequest.findMany({
      where: { studentId: { in: ids.slice(i, i + CHUNK) }, state: { in: OPEN } },
      select: { id: true, studentId: true, state: true },
      orderBy: { id: 'asc' },
    });
    for (const r of rows) out.set(r.studentId, { id: r.id, state: r.state });
  }
  return out;
}

/**
 * Open requests an area is concerned with: the pupil is in the area (as the ledger counts them), or the request
 * leaves from or goes to one of the area's schools. By id, with the student, school names and destination.
 */
export async function openTransfersInArea(db: Tx, area: Area) {
  const to =
    area.kind === 'county'
      ? Prisma.sql`1 = 1`
      : area.kind === 'town'
        ? Prisma.sql`(fs."townId" = ${area.townId} OR ts."townId" = ${area.townId})`
        : area.kind === 'school'
          ? Prisma.sql`(t."fromSchoolId" = ${area.schoolId} OR t."toSchoolId" = ${area.schoolId})`
          : Prisma.sql`1 = 0`;
  const rows = await db.$queryRaw<{ id: unknown }[]>(
    Prisma.sql`SELECT t."id" AS "id" FROM "TransferRequest" t JOIN "Student" s ON s."id" = t."studentId" JOIN "SchoolClass" c ON c."id" = s."classId"
      JOIN "School" sc ON sc."id" = c."schoolId" JOIN "Village" v ON v."id" = s."villageId" JOIN "School" fs ON fs."id" = t."fromSchoolId"
      LEFT JOIN "School" ts ON ts."id" = t."toSchoolId"
      WHERE t."state" IN (${Prisma.join(OPEN)}) AND (${studentsInArea(area)} OR ${to}) ORDER BY t."id"`,
  );
  const ids = rows.map((r) => num(r.id));
  const out = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    out.push(...(await db.transferRequest.findMany({ where: { id: { in: ids.slice(i, i + CHUNK) } }, orderBy: { id: 'asc' } })));
  const students = new Map<number, Awaited<ReturnType<typeof studentsOf>>[number]>();
  const sids = [...new Set(out.map((r) => r.studentId))];
  for (let i = 0; i < sids.length; i += CHUNK) for (const s of await studentsOf(db, sids.slice(i, i + CHUNK))) students.set(s.id, s);
  const schools = new Map((await schoolsOfCounty(db)).map((s) => [s.id, s]));
  return out.flatMap((r) => {
    const student = students.get(r.studentId);
    return student
      ? [
          {
            ...r,
            student,
            fromName: schools.get(r.fromSchoolId)?.name ?? '',
            toName: r.toSchoolId ? (schools.get(r.toSchoolId)?.name ?? '') : (r.toText ?? ''),
          },
        ]
      : [];
  });
}

function studentsOf(db: Tx, ids: number[]) {
  return db.student.findMany({ where: { id: { in: ids } }, include: studentInclude });
}

// ---- 小升初: the primary leavers of a school year, set-based ----

/**
 * Records every primary leaver of the school year (an enrolled pupil in grade 6 of a primary class when the spring
 * term ends, with no open transfer and no earlier leaver record) as awaiting a junior school's confirmation, with
 * its first step. Two statements whatever the county's size; returns how many were recorded per town of their school.
 */
export async function recordLeavers(db: Tx, schoolYear: string, on: string, at: Date): Promise<Map<number, number>> {
  await db.$executeRaw`INSERT INTO "TransferRequest" ("studentId", "kind", "fromSchoolId", "fromClassId", "toSchoolId", "toText", "needsCounty", "on", "schoolYear", "state", "requestedById", "createdAt")
    SELECT s."id", 'leaver', c."schoolId", c."id", NULL, NULL, FALSE, ${on}, ${schoolYear}, 'pending_receipt', 0, ${at}
    FROM "Student" s JOIN "SchoolClass" c ON c."id" = s."classId"
    WHERE c."stage" = 'primary' AND c."grade" = 6 AND s."status" = 'enrolled'
      AND NOT EXISTS (SELECT 1 FROM "TransferRequest" t WHERE t."studentId" = s."id" AND (t."kind" = 'leaver' OR t."state" IN (${Prisma.join(OPEN)})))`;
  await db.$executeRaw`INSERT INTO "TransferStep" ("requestId", "state", "action", "note", "on", "byId", "recordedAt")
    SELECT t."id", 'pending_receipt', 'requested', '小学毕业，待初中学校确认接收', ${on}, 0, ${at} FROM "TransferRequest" t
    WHERE t."kind" = 'leaver' AND t."schoolYear" = ${schoolYear} AND NOT EXISTS (SELECT 1 FROM "TransferStep" x WHERE x."requestId" = t."id")`;
  return leaversByTown(db, schoolYear, 'pending_receipt');
}

/** Leavers of a school year in a state, counted per town of the school they left. */
export async function leaversByTown(db: Tx, schoolYear: string, state: string): Promise<Map<number, number>> {
  const rows = await db.$queryRaw<
    { townId: unknown; n: unknown }[]
  >`SELECT sc."townId" AS "townId", COUNT(*) AS "n" FROM "TransferRequest" t JOIN "School" sc ON sc."id" = t."fromSchoolId"
    WHERE t."kind" = 'leaver' AND t."schoolYear" = ${schoolYear} AND t."state" = ${state} GROUP BY sc."townId"`;
  return new Map(rows.map((r) => [num(r.townId), num(r.n)]));
}

/**
 * Leavers of earlier school years still awaiting confirmation whose pupil now sits in a junior class (a roster
 * import moved them, or they were placed there): recorded as received by the import. Set-based.
 */
export async function receiveLeaversPlacedInJunior(db: Tx, on: string, at: Date): Promise<number> {
  const placed = Prisma.sql`t."kind" = 'leaver' AND t."state" IN ('pending_receipt', 'overdue')
    AND EXISTS (SELECT 1 FROM "Student" s JOIN "SchoolClass" c ON c."id" = s."classId" WHERE s."id" = t."studentId" AND c."stage" = 'junior')`;
  await db.$executeRaw`INSERT INTO "TransferStep" ("requestId", "state", "action", "note", "on", "byId", "recordedAt")
    SELECT t."id", 'received', 'received', '名册已在初中学校', ${on}, 0, ${at} FROM "TransferRequest" t WHERE ${placed}`;
  return db.$executeRaw`UPDATE "TransferRequest" AS t SET "state" = 'received' WHERE ${placed}`;
}

/** Leavers dated before `before` still awaiting a junior school's confirmation: request and student ids, by id. */
export async function unconfirmedLeavers(db: Tx, before: string): Promise<{ id: number; studentId: number }[]> {
  const rows = await db.transferRequest.findMany({
    where: { kind: 'leaver', state: 'pending_receipt', on: { lt: before } },
    select: { id: true, studentId: true },
    orderBy: { id: 'asc' },
  });
  return rows;
}

/** Marks requests overdue (one step each, multi-row), in chunks of 500. */
export async function markOverdue(db: Tx, ids: readonly number[], note: string, on: string, at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await insertRows(
      db,
      'TransferStep',
      ['requestId', 'state', 'action', 'note', 'on', 'byId', 'recordedAt'],
      part.map((requestId) => [requestId, 'overdue', 'overdue', note, on, 0, at]),
    );
    await db.transferRequest.updateMany({ where: { id: { in: part } }, data: { state: 'overdue' } });
  }
}
