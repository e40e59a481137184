/**
 * The hot queries use an index: each repository function runs against a small county while the SQL Prisma issues is
 * captured (query events), then SQLite's EXPLAIN QUERY PLAN of that very SQL must not contain a full SCAN of a
 * large table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client.js';
import { applyMigrations } from '../../src/store/migrate.js';
import type { Db } from '../../src/store/prisma.js';
import * as duty from '../../src/store/duty.repository.js';
import { historiesOf } from '../../src/store/attendance.repository.js';
import { openAlertsOfMany, alertedUnmarkedOn, unackedFor } from '../../src/store/alert.repository.js';
import { rollAndAbsences } from '../../src/store/weekly-count.repository.js';
import { findStudentsWithMark } from '../../src/store/org.repository.js';
import { keysDone, openFailures } from '../../src/store/duty-run.repository.js';
import { addMarks, addOpenAlerts, bindGroups, buildCounty, takeAttendance, type CountyFixture } from '../helpers/duty-fixtures.js';

const LARGE = ['Student', 'AttendanceMark', 'ClassAttendance', 'Alert', 'AlertRecipient', 'DropoutCase', 'CaseEvent', 'WeeklyCount', 'Outbox', 'RegisterEvent'];
const DAY = '2026-11-23';
const WEEK = '2026-W48';

let dir: string;
let db: Db;
let f: CountyFixture;
let captured: { sql: string; params: string }[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-plan-'));
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: path.join(dir, 'plan.db') }), log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (e) => captured.push({ sql: e.query, params: e.params }));
  await applyMigrations(client);
  db = client;
  const at = new Date('2026-11-23T08:00:00+08:00');
  f = await buildCounty(db, { towns: 2, villagesPerTown: 3, schoolsPerTown: 2, classesPerSchool: 3, studentsPerClass: 10 }, at);
  const some = f.studentIds.filter((_, i) => i % 4 === 0);
  await addMarks(
    db,
    f,
    some.flatMap((studentId) => ['2026-11-20', DAY].map((date) => ({ studentId, date, status: 'truant' }))),
    at,
  );
  await addOpenAlerts(
    db,
    some.map((studentId) => ({ studentId, step: 'call_family', streakSince: DAY, streakDays: 1, raisedOn: DAY })),
    at,
  );
  await takeAttendance(
    db,
    f,
    f.classes.slice(0, 4).map((c) => c.id),
    DAY,
    at,
  );
  await bindGroups(db, f, at);
  const alert = await db.alert.findFirstOrThrow();
  await db.alertRecipient.create({ data: { alertId: alert.id, personId: f.teacherOf.get(f.classes[0]!.id)!, notifiedAt: at } });
  const c = await db.dropoutCase.create({ data: { studentId: some[0]!, state: 'suspected', openedOn: DAY, createdAt: at } });
  await db.caseEvent.create({ data: { caseId: c.id, type: 'assign', payload: '{}', byId: 0, recordedAt: at } });
  await db.weeklyCount.create({
    data: { classId: f.classes[0]!.id, week: WEEK, rawText: '全勤', reportedById: 1, chatRef: 'console:group:g', recordedAt: at },
  });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The reads a call issues, as Prisma sent them. */
async function reads(call: () => Promise<unknown>) {
  captured = [];
  await call();
  return captured.filter((q) => /^\s*(SELECT|UPDATE|DELETE)\b/i.test(q.sql));
}

/** The steps of SQLite's plan for a read as Prisma sent it. */
async function planOf(q: { sql: string; params: string }): Promise<string[]> {
  const params = (JSON.parse(q.params) as unknown[]).map((p) => (typeof p === 'boolean' ? Number(p) : p));
  return (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${q.sql}`, ...params)).map((r) => r.detail);
}

async function fullScans(q: { sql: string; params: string }): Promise<string[]> {
  return (await planOf(q)).filter((d) => LARGE.includes(/^SCAN (?:main\.)?[`"]?(\w+)/.exec(d)?.[1] ?? ''));
}

async function expectIndexed(call: () => Promise<unknown>) {
  const qs = await reads(call);
  expect(qs.length).toBeGreaterThan(0);
  for (const q of qs) expect({ sql: q.sql, scans: await fullScans(q) }).toEqual({ sql: q.sql, scans: [] });
}

const ids = () => f.studentIds.filter((_, i) => i % 4 === 0);

describe('EXPLAIN QUERY PLAN of the hot queries', () => {
  it('finds a full scan when there is one (the check itself can fail)', async () => {
    const qs = await reads(() => db.student.findMany({ where: { name: '学生1' } }));
    expect(await fullScans(qs[0]!)).toEqual([expect.stringMatching(/^SCAN .*Student/)]);
  });

  it('two-day check: the day’s truants, their students, marks, open alerts, responsible people and chats', async () => {
    await expectIndexed(() => duty.truantOn(db, DAY));
    await expectIndexed(() => duty.studentsByIds(db, ids()));
    await expectIndexed(() => historiesOf(db, ids(), '2026-07-26'));
    await expectIndexed(() => openAlertsOfMany(db, ids()));
    await expectIndexed(async () => (await duty.responsibleForMany(db, [...(await duty.studentsByIds(db, ids())).values()]))!);
    await expectIndexed(() => duty.dmRefsOf(db, [...f.teacherOf.values()]));
  });

  it('an attendance message: its class’s enrolled pupils found by class, not among every enrolled pupil', async () => {
    const call = () => alertedUnmarkedOn(db, f.classes[0]!.id, DAY);
    await expectIndexed(call);
    const qs = await reads(call);
    expect(qs.length).toBe(1);
    expect((await planOf(qs[0]!)).filter((d) => /\bStudent\b/.test(d))).toEqual([
      expect.stringMatching(/^SEARCH Student USING (COVERING )?INDEX Student_classId_status_idx \(classId=\? AND status=\?\)/),
    ]);
  });

  it('a weekly count message: its class’s pupils found by class and their marks of the week by pupil and day, in one read', async () => {
    const call = () => rollAndAbsences(db, f.classes[0]!.id, '2026-07-20', DAY);
    await expectIndexed(call);
    const qs = await reads(call);
    expect(qs.length).toBe(1);
    const plan = await planOf(qs[0]!);
    expect(plan.filter((d) => /^(SEARCH|SCAN) /.test(d))).toEqual([
      expect.stringMatching(/^SEARCH s USING (COVERING )?INDEX Student_classId\w* \(classId=\?\)/),
      expect.stringMatching(/^SEARCH m USING INDEX AttendanceMark_studentId_date\w* \(studentId=\? AND date>\? AND date<\?\)/),
    ]);
  });

  it('a 缺勤 naming a pupil: the pupil found by class and name, and the pupil’s day by pupil and day, in one read', async () => {
    const pupil = await db.student.findFirstOrThrow({ where: { id: ids()[0]! } });
    const call = () => findStudentsWithMark(db, { classId: pupil.classId }, pupil.name, DAY);
    await expectIndexed(call);
    const qs = await reads(call);
    expect(qs.length).toBe(1);
    const plan = (await planOf(qs[0]!)).filter((d) => /^(SEARCH|SCAN) /.test(d));
    expect(plan.filter((d) => /^SEARCH [smx] /.test(d))).toEqual([
      expect.stringMatching(/^SEARCH s USING INDEX Student_\w+ \((classId=\? AND name=\?|name=\?|classId=\?)/),
      expect.stringMatching(/^SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/),
      expect.stringMatching(/^SEARCH x USING (COVERING )?INDEX AttendanceMark_studentId_date\w* \(studentId=\? AND date=\?\)/),
    ]);
  });

  it('attendance reminder: classes that took attendance on a date', async () => {
    await expectIndexed(() => duty.classesTakenOnDays(db, [DAY, '2026-07-27']));
  });

  it('weekly fan-out: classes counted in a week, principals of schools, the ledger', async () => {
    await expectIndexed(() => duty.classesCountedIn(db, WEEK));
    await expectIndexed(() =>
      duty.activeByPlace(
        db,
        'principal',
        'schoolId',
        f.schools.map((s) => s.id),
      ),
    );
    await expectIndexed(() => keysDone(db, ['weekly_prompt:2026-W48:class:1:console:group:g1']));
    await expectIndexed(() => openFailures(db));
  });

  it('status and escalation reads: marks of a date, open alerts and cases, weekly counts, unacknowledged alerts', async () => {
    await expectIndexed(() => db.attendanceMark.findMany({ where: { date: DAY }, orderBy: { id: 'asc' } }));
    await expectIndexed(() => db.attendanceMark.findMany({ where: { studentId: ids()[0]!, date: { gte: '2026-09-01', lte: DAY } } }));
    await expectIndexed(() => db.classAttendance.findMany({ where: { date: DAY } }));
    await expectIndexed(() => duty.openAlertsWithRecipients(db));
    await expectIndexed(() => duty.openCasesWithStudents(db));
    await expectIndexed(() => db.weeklyCount.findMany({ where: { week: WEEK }, orderBy: { id: 'asc' } }));
    await expectIndexed(() => db.student.findMany({ where: { classId: f.classes[0]!.id, status: 'enrolled' } }));
    await expectIndexed(() => db.student.findMany({ where: { villageId: f.villageIds[0]! } }));
    await expectIndexed(() => db.student.count({ where: { status: 'transferred_out' } }));
    await expectIndexed(() => db.registerEvent.findMany({ where: { on: { gte: '2026-09-01', lte: DAY } } }));
    await expectIndexed(() => db.homeVisit.count({ where: { studentId: ids()[0]!, date: { gte: DAY } } }));
    await expectIndexed(() => db.caseEvent.findMany({ where: { caseId: 1 } }));
    await expectIndexed(() => unackedFor(db, f.teacherOf.get(f.classes[0]!.id)!));
  });
});
