/**
 * 小升初 at size: 1,200 leavers in one county (past SQLite's 999 bound values) are recorded at the spring term's end
 * and, not confirmed, all become suspected cases on the 10th autumn school day, each with both lines assigned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { buildCounty } from '../helpers/duty-fixtures.js';
import { createDutyRunner } from '../../src/duties/runner.js';
import { leaverHandover } from '../../src/duties/handover.duty.js';
import { local } from '../helpers/duty-sim.js';

let app: TestApp;
let leavers: number;

beforeAll(async () => {
  app = await makeApp({
    now: local('2026-07-01 08:00').toISOString(),
    demo: false,
    env: { TERMS: '2026春季学期:2026-03-02..2026-07-03;2026秋季学期:2026-09-01..2027-01-22' },
  });
  await buildCounty(app.deps.db, { towns: 2, villagesPerTown: 10, schoolsPerTown: 2, classesPerSchool: 36, studentsPerClass: 50 }, app.clock.now());
  leavers = await app.deps.db.student.count({ where: { class: { stage: 'primary', grade: 6 } } });
}, 300_000);
afterAll(async () => app?.close());

describe('小升初 handover with 1,200 leavers', () => {
  it('records them all, then turns every unconfirmed one into a suspected case with both lines, and tells each town once', async () => {
    const db = app.deps.db;
    expect(leavers).toBe(1200);
    const runner = createDutyRunner(app.deps, [leaverHandover]);
    await runner.tick();
    app.clock.set(local('2026-07-03 18:00'));
    const r1 = await runner.tick();
    expect(r1.failed).toEqual([]);
    expect(await db.transferRequest.count({ where: { kind: 'leaver', state: 'pending_receipt' } })).toBe(1200);
    app.clock.set(local('2026-09-14 18:00'));
    const r2 = await runner.tick();
    expect(r2.failed).toEqual([]);
    expect(await db.dropoutCase.count({ where: { state: 'suspected', openedOn: '2026-09-14' } })).toBe(1200);
    expect(await db.caseEvent.count({ where: { type: 'assign' } })).toBe(1200);
    expect(await db.transferRequest.count({ where: { kind: 'leaver', state: 'overdue' } })).toBe(1200);
    const told = await db.outbox.findMany({ where: { kind: 'duty:leaver_handover' } });
    // two towns, one official each: the record message and the check message
    expect(told.length).toBe(4);
    expect(told.every((m) => m.chatRef.includes(':dm:'))).toBe(true);
  }, 120_000);
});
