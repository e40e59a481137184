/**
 * Students and people of a roster, written in batches keyed by 学籍号 and 工号: per batch one `in` query for the rows
 * already there, a multi-row insert for the new ones, an update only for the rows that changed.
 *
 * Students are read, inserted and updated with parameterised SQL (Prisma.sql: portable placeholders, quoted
 * identifiers), measured at 60,000 students on this build: createMany 0.2 ms a row and +300 MB against 0.03 ms for a
 * multi-row INSERT (bulk-insert.ts); findMany with 500 keys in `in` 37 ms against 18 ms for the same SELECT.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { insertRows } from './bulk-insert.js';
import type { PersonRecord, StudentRecord } from '../roster/types.js';
import type { PlaceIds } from './roster-places.js';

/** Keys per `in` query: well under SQLite's 999 bound values. */
export const KEY_BATCH = 500;

export interface RowCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RowOptions {
  at: Date;
  /** Record the new students as transferred in on this day. */
  transferInOn?: string;
  onBatch?: (done: number) => void;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const differs = (row: Record<string, unknown>, data: Record<string, unknown>) => Object.entries(data).some(([k, v]) => row[k] !== v);

function studentData(st: StudentRecord, ids: PlaceIds) {
  return {
    name: st.name,
    gender: st.gender,
    classId: ids.class.get(`${st.school}|${st.className}`)!,
    villageId: ids.village.get(`${st.town}|${st.village}`)!,
    groupName: st.group ?? null,
    guardian: st.guardian ?? null,
    guardianPhone: st.guardianPhone ?? null,
    attention: [...st.attention].sort().join(','),
  };
}
type StudentData = ReturnType<typeof studentData> & { studentNo: string };

export async function writeStudents(tx: Tx, students: readonly StudentRecord[], ids: PlaceIds, opts: RowOptions): Promise<RowCounts> {
  const counts: RowCounts = { created: 0, updated: 0, unchanged: 0 };
  let done = 0;
  for (const batch of chunks(students, KEY_BATCH)) {
    const existing = await tx.$queryRaw<
      (StudentData & { id: number })[]
    >`SELECT "id", "studentNo", "name", "gender", "classId", "villageId", "groupName", "guardian", "guardianPhone", "attention" FROM "Student" WHERE "studentNo" IN (${Prisma.join(batch.map((s) => s.studentNo))})`;
    const byNo = new Map(existing.map((e) => [e.studentNo, e]));
    const fresh: StudentData[] = [];
    for (const st of batch) {
      const data = studentData(st, ids);
      const row = byNo.get(st.studentNo);
      if (!row) fresh.push({ studentNo: st.studentNo, ...data });
      else if (differs(row, data)) {
        await tx.$executeRaw`UPDATE "Student" SET "name" = ${data.name}, "gender" = ${data.gender}, "classId" = ${data.classId}, "villageId" = ${data.villageId}, "groupName" = ${data.groupName}, "guardian" = ${data.guardian}, "guardianPhone" = ${data.guardianPhone}, "attention" = ${data.attention}, "updatedAt" = ${opts.at} WHERE "id" = ${row.id}`;
        counts.updated++;
      } else counts.unchanged++;
    }
    await insertRows(
      tx,
      'Student',
      ['studentNo', 'name', 'gender', 'classId', 'villageId', 'groupName', 'guardian', 'guardianPhone', 'attention', 'createdAt', 'updatedAt'],
      fresh.map((r) => [r.studentNo, r.name, r.gender, r.classId, r.villageId, r.groupName, r.guardian, r.guardianPhone, r.attention, opts.at, opts.at]),
    );
    counts.created += fresh.length;
    if (opts.transferInOn && fresh.length) {
      const added = await tx.student.findMany({ where: { studentNo: { in: fresh.map((f) => f.studentNo) } }, select: { id: true } });
      await tx.registerEvent.createMany({
        data: added.map((a) => ({ studentId: a.id, change: 'transferred_in', on: opts.transferInOn!, byId: 0, recordedAt: opts.at })),
      });
    }
    opts.onBatch?.((done += batch.length));
  }
  return counts;
}

function personData(p: PersonRecord, ids: PlaceIds) {
  return {
    name: p.name,
    role: p.role,
    townId: p.town ? (ids.town.get(p.town) ?? null) : null,
    villageId: p.town && p.village ? (ids.village.get(`${p.town}|${p.village}`) ?? null) : null,
    schoolId: p.school ? (ids.school.get(p.school) ?? null) : null,
    classId: p.school && p.className ? (ids.class.get(`${p.school}|${p.className}`) ?? null) : null,
    phone: p.phone ?? null,
    active: true,
  };
}

export async function writePeople(tx: Tx, people: readonly PersonRecord[], ids: PlaceIds, opts: RowOptions): Promise<RowCounts> {
  const counts: RowCounts = { created: 0, updated: 0, unchanged: 0 };
  let done = 0;
  for (const batch of chunks(people, KEY_BATCH)) {
    const existing = await tx.person.findMany({
      where: { staffId: { in: batch.map((p) => p.staffId) } },
      select: { id: true, staffId: true, name: true, role: true, townId: true, villageId: true, schoolId: true, classId: true, phone: true, active: true },
    });
    const byId = new Map(existing.map((e) => [e.staffId, e]));
    const fresh = [];
    for (const p of batch) {
      const data = personData(p, ids);
      const row = byId.get(p.staffId);
      if (!row) fresh.push({ staffId: p.staffId, ...data });
      else if (differs(row, data)) {
        await tx.person.update({ where: { id: row.id }, data });
        counts.updated++;
      } else counts.unchanged++;
    }
    if (fresh.length) counts.created += (await tx.person.createMany({ data: fresh })).count;
    opts.onBatch?.((done += batch.length));
  }
  return counts;
}
