/** What scheduled duties read: classes and their groups, who has answered, who is absent, open cases and alerts. */
import type { Tx } from './prisma.js';
import { Prisma } from '../../generated/prisma/client.js';
import { CASE_STATES } from '../domain/dropout-case.js';
import { studentsFull, type StudentFull } from './student-full.js';
import { queryRows } from './direct.js';
import { writeKept } from './deferred-rows.js';

export type ClassRow = Awaited<ReturnType<typeof classesWithTeachers>>[number];

/** Every class with its school and its class teachers (active). */
export async function classesWithTeachers(db: Tx) {
  const [classes, teachers] = await Promise.all([
    db.schoolClass.findMany({
      include: { school: { include: { town: true } } },
      orderBy: [{ schoolId: 'asc' }, { stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }],
    }),
    db.person.findMany({ where: { role: 'class_teacher', active: true }, orderBy: { id: 'asc' } }),
  ]);
  const byClass = new Map<number, typeof teachers>();
  for (const t of teachers) if (t.classId !== null) byClass.set(t.classId, [...(byClass.get(t.classId) ?? []), t]);
  return classes.map((c) => ({ ...c, teachers: byClass.get(c.id) ?? [] }));
}

/** The group chats bound to each class now (a group's latest binding wins). */
export async function boundGroupsByClass(db: Tx): Promise<Map<number, string[]>> {
  const latest = new Map<string, number>();
  for (const b of await db.groupBinding.findMany({ orderBy: { id: 'asc' } })) latest.set(b.chatRef, b.classId);
  const out = new Map<number, string[]>();
  for (const [chatRef, classId] of latest) out.set(classId, [...(out.get(classId) ?? []), chatRef]);
  return out;
}

export async function classesCountedIn(db: Tx, week: string): Promise<Set<number>> {
  const rows = await db.weeklyCount.findMany({ where: { week }, select: { classId: true }, distinct: ['classId'] });
  return new Set(rows.map((r) => r.classId));
}

/** Ids in chunks of 500 (SQLite binds at most 999 values; Prisma splits only a plain `in`). */
export async function inChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}

/**
 * The classes that took attendance on each of some days (a roll call, or any pupil of the class marked), in one
 * statement whatever the county's size.
 */
export async function classesTakenOnDays(db: Tx, dates: readonly string[]): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>(dates.map((d) => [d, new Set<number>()]));
  if (dates.length === 0) return out;
  const list = Prisma.join(dates);
  const rows = await queryRows<{ classId: number | bigint; date: string }>(
    db,
    Prisma.sql`
    SELECT ca."classId" AS "classId", ca."date" AS "date" FROM "ClassAttendance" ca WHERE ca."date" IN (${list})
    UNION
    SELECT s."classId" AS "classId", m."date" AS "date" FROM "AttendanceMark" m JOIN "Student" s ON s."id" = m."studentId"
    WHERE m."date" IN (${list})`,
  );
  for (const r of rows) out.get(r.date)?.add(Number(r.classId));
  return out;
}

/** Enrolled students whose mark in force on a date is truant, by id. */
export async function truantOn(db: Tx, date: string): Promise<number[]> {
  const inForce = new Map<number, string>();
  for (const m of await db.attendanceMark.findMany({ where: { date }, orderBy: { id: 'asc' }, select: { studentId: true, status: true } }))
    inForce.set(m.studentId, m.status);
  const ids = [...inForce].filter(([, s]) => s === 'truant').map(([id]) => id);
  const enrolled = await inChunks(ids, (chunk) => db.student.findMany({ where: { id: { in: chunk }, status: 'enrolled' }, select: { id: true } }));
  return enrolled.map((s) => s.id).sort((a, b) => a - b);
}

/** Students with their class, school, village and town (as org.repository's studentById), by id (ascending in each chunk). */
export async function studentsByIds(db: Tx, ids: readonly number[]): Promise<Map<number, StudentFull>> {
  const rows = await inChunks(ids, (chunk) => studentsFull(db, Prisma.sql`"s"."id" IN (${Prisma.join(chunk)})`));
  return new Map(rows.map((s) => [s.id, s]));
}

type Place = 'classId' | 'schoolId' | 'villageId' | 'townId';

/** Active people of a role in each of many places (class, school, village or town), by id within each place. */
export async function activeByPlace(db: Tx, role: string, field: Place, ids: readonly number[]) {
  const rows = await inChunks(ids, (chunk) => db.person.findMany({ where: { role, active: true, [field]: { in: chunk } }, orderBy: { id: 'asc' } }));
  const by = new Map<number, typeof rows>();
  for (const p of rows.sort((a, b) => a.id - b.id)) by.set(p[field]!, [...(by.get(p[field]!) ?? []), p]);
  return by;
}

type Placed = { classId: number; villageId: number; class: { schoolId: number }; village: { townId: number } };

/**
 * Everyone responsible for each of many students on both lines (as org.repository's responsibleFor, active people
 * by id): four queries over the distinct classes, schools, villages and towns involved.
 */
export async function responsibleForMany(db: Tx, students: readonly Placed[]) {
  const distinct = (f: (s: Placed) => number) => [...new Set(students.map(f))];
  const load = (role: string, field: Place, ids: number[]) => activeByPlace(db, role, field, ids);
  const [teachers, principals, cadres, towns] = await Promise.all([
    load(
      'class_teacher',
      'classId',
      distinct((s) => s.classId),
    ),
    load(
      'principal',
      'schoolId',
      distinct((s) => s.class.schoolId),
    ),
    load(
      'village',
      'villageId',
      distinct((s) => s.villageId),
    ),
    load(
      'town',
      'townId',
      distinct((s) => s.village.townId),
    ),
  ]);
  return (s: Placed) => ({
    classTeachers: teachers.get(s.classId) ?? [],
    principals: principals.get(s.class.schoolId) ?? [],
    cadres: cadres.get(s.villageId) ?? [],
    townOfficials: towns.get(s.village.townId) ?? [],
  });
}

/** The direct chat of each person (as chat.repository's dmRefFor): their latest bound account, else the console. */
export async function dmRefsOf(db: Tx, personIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(personIds)];
  const out = new Map<number, string>();
  for (const p of await inChunks(ids, (chunk) => db.person.findMany({ where: { id: { in: chunk } }, select: { id: true, staffId: true } })))
    out.set(p.id, `console:dm:${p.staffId}`);
  const accounts = await inChunks(ids, (chunk) =>
    db.chatAccount.findMany({ where: { personId: { in: chunk }, revokedAt: null }, orderBy: [{ boundAt: 'asc' }, { id: 'asc' }] }),
  );
  for (const a of accounts.sort((x, y) => x.boundAt.getTime() - y.boundAt.getTime() || x.id - y.id)) out.set(a.personId, `${a.platform}:dm:${a.accountId}`);
  return out;
}

/** Open dropout cases with their students (for digests). */
export async function openCasesWithStudents(db: Tx) {
  return db.dropoutCase.findMany({
    // the open states by name (not NOT IN the closed ones), so the state index is used
    where: { state: { in: CASE_STATES.filter((x) => x !== 'returned' && x !== 'withdrawn') } },
    orderBy: { id: 'asc' },
    include: { events: { orderBy: { id: 'asc' } } },
  });
}

/** Open alerts with recipients and the outbox status of what each was sent. */
export async function openAlertsWithRecipients(db: Tx) {
  return db.alert.findMany({ where: { status: 'open' }, include: { recipients: true }, orderBy: { id: 'asc' } });
}

export async function outboxStatuses(db: Tx, ids: number[]): Promise<Map<number, string>> {
  await writeKept(db);
  const rows = await db.outbox.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** When each of many students' home visits were recorded. */
export async function visitTimesOf(db: Tx, studentIds: readonly number[]): Promise<Map<number, Date[]>> {
  const out = new Map<number, Date[]>();
  const rows = await inChunks(studentIds, (chunk) =>
    db.homeVisit.findMany({ where: { studentId: { in: chunk } }, select: { studentId: true, recordedAt: true } }),
  );
  for (const r of rows) out.set(r.studentId, [...(out.get(r.studentId) ?? []), r.recordedAt]);
  return out;
}

/** Whether a home visit to the student was logged for a day on or after `since` (the absence streak's first day). */
export async function visitedSince(db: Tx, studentId: number, since: string): Promise<boolean> {
  return (await db.homeVisit.count({ where: { studentId, date: { gte: since } } })) > 0;
}

/** Moves an alert up one escalation level, only from the level it is at (a second process finds it moved). */
export async function escalateAlert(db: Tx, alertId: number, from: string, to: string, at: Date): Promise<boolean> {
  const r = await db.alert.updateMany({ where: { id: alertId, status: 'open', escalation: from }, data: { escalation: to, escalatedAt: at } });
  return r.count === 1;
}
