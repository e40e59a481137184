/**
 * At real size: a 5,000-pupil county (a 1,200-pupil school) with a term of marks, roll calls, weekly counts, cases and
 * register changes written straight into the database (as an import would, outside withWriteTransaction). sealAll
 * seals it in transactions of at most SEAL_CAP rows; verify finds it intact; a teacher's next message seals only its
 * own rows; an edit deep in the big table is named. Timings are printed, not asserted.
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { buildBigCounty } from '../helpers/big-county.js';
import { sealAll, verifyChain } from '../../src/services/audit-chain.js';

const TODAY = '2026-11-20';
let app: TestApp;
let written = 0;

beforeAll(async () => {
  app = await makeApp({ now: `${TODAY}T16:00:00+08:00`, demo: false });
  const days = app.deps.calendar.schoolDaysBetween('2026-09-01', TODAY);
  const county = await buildBigCounty(app.deps.db, { students: 5000, bigSchool: 1200, schoolDays: days, now: app.clock.now(), seed: 7 });
  written = county.attendanceMark.length + county.classAttendance.length + county.weeklyCount.length + county.caseEvent.length + county.registerEvent.length;
}, 180_000);
afterAll(async () => app?.close());

describe('sealing a county', () => {
  it('seals every row written outside the bot, in bounded transactions, and verifies intact', async () => {
    expect(written).toBeGreaterThan(10_000);
    let t = performance.now();
    expect(await sealAll(app.deps.db, 4000)).toBe(written); // four transactions of 4,000 rows at most

    const sealMs = performance.now() - t;
    t = performance.now();
    const r = await verifyChain(app.deps.db);
    const verifyMs = performance.now() - t;
    console.log(`sealed ${written} rows in ${Math.round(sealMs)} ms (${((sealMs / written) * 1000).toFixed(1)} µs/row); verify ${Math.round(verifyMs)} ms`);
    expect(r.problem).toBeUndefined();
    expect(r.entries).toBe(written);
  }, 300_000);

  it("a teacher's message then seals only the rows it wrote", async () => {
    const teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
    const pupil = await app.deps.db.student.findFirstOrThrow({ where: { classId: teacher.classId! } });
    const before = await app.deps.db.chainEntry.count();
    await app.session.say(teacher.staffId, 'dm', `缺勤 ${pupil.studentNo} 病假`);
    const added = await app.deps.db.chainEntry.findMany({ where: { id: { gt: before } } });
    expect(added.some((e) => e.tableName === 'AttendanceMark')).toBe(true);
    expect(added.length).toBeLessThanOrEqual(2); // the mark and the class's roll call
  });

  it('an edit deep in the big table is named', async () => {
    const mid = await app.deps.db.chainEntry.findFirstOrThrow({ where: { tableName: 'AttendanceMark' }, skip: 5000, orderBy: { id: 'asc' } });
    const db = new Database(path.join(app.dir, 'test.db'));
    db.prepare(`UPDATE "AttendanceMark" SET "status" = CASE "status" WHEN 'truant' THEN 'sick' ELSE 'truant' END WHERE "id" = ?`).run(mid.rowId);
    db.close();
    expect((await verifyChain(app.deps.db)).problem).toEqual({ what: 'edited', entryId: mid.id, table: 'AttendanceMark', rowId: mid.rowId });
  }, 120_000);
});
