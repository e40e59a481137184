/**
 * 小升初整体移交: at the end of the spring term every grade-6 primary pupil is recorded as a leaver awaiting a junior
 * school's confirmation; on the 10th school day of the autumn term every leaver not confirmed received becomes a
 * suspected-dropout case and the towns are told by DM. A leaver received by 接收, or placed in a junior class by a
 * roster import, is not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { createDutyRunner, type DutyRunner } from '../../src/duties/runner.js';
import { leaverHandover } from '../../src/duties/handover.duty.js';
import { dutyMessages } from '../helpers/duty-sim.js';

let app: TestApp;
let runner: DutyRunner;
let leaverIds: number[];
let received: { id: number; name: string; studentNo: string };
let imported: { id: number; name: string };
let juniorPrincipal: string;
let juniorClassId: number;
let townStaff: string[];

const at = (s: string) => app.clock.set(`${s}:00+08:00`);

beforeAll(async () => {
  app = await makeApp({ now: '2026-07-01T08:00:00+08:00', env: { TERMS: '2026春季学期:2026-03-02..2026-07-03;2026秋季学期:2026-09-01..2027-01-22' } });
  const db = app.deps.db;
  runner = createDutyRunner(app.deps, [leaverHandover]);
  await runner.tick(); // installs: a new installation has missed nothing
  leaverIds = (
    await db.student.findMany({ where: { status: 'enrolled', class: { stage: 'primary', grade: 6 } }, select: { id: true }, orderBy: { id: 'asc' } })
  ).map((s) => s.id);
  const junior = await db.school.findFirstOrThrow({ where: { kind: 'junior' } });
  juniorPrincipal = (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: junior.id } })).staffId;
  juniorClassId = (await db.schoolClass.findFirstOrThrow({ where: { schoolId: junior.id, stage: 'junior', grade: 1 }, orderBy: { classNo: 'asc' } })).id;
  townStaff = (await db.person.findMany({ where: { role: 'town' } })).map((p) => p.staffId);
}, 60_000);
afterAll(async () => app?.close());

describe('小升初 handover', () => {
  it('the last day of the spring term records every grade-6 primary pupil as a leaver and tells the towns (counts, no names)', async () => {
    at('2026-07-03T18:00');
    await runner.tick();
    const db = app.deps.db;
    expect(leaverIds.length).toBeGreaterThan(30);
    const rows = await db.transferRequest.findMany({ where: { kind: 'leaver' }, orderBy: { studentId: 'asc' } });
    expect(rows.map((r) => r.studentId)).toEqual(leaverIds);
    expect(new Set(rows.map((r) => `${r.state} ${r.schoolYear} ${r.on}`))).toEqual(new Set(['pending_receipt 2025-2026 2026-07-03']));
    expect(await db.transferStep.count()).toBe(rows.length);
    const told = (await dutyMessages(db)).filter((m) => m.kind === 'duty:leaver_handover');
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((m) => townStaff.includes(m.to))).toBe(true);
    // ticking again records nothing twice
    at('2026-07-03T19:00');
    await runner.tick();
    expect(await db.transferRequest.count({ where: { kind: 'leaver' } })).toBe(leaverIds.length);
  });

  it('over the summer a junior school receives one leaver (接收) and a roster import places another in a junior class', async () => {
    const db = app.deps.db;
    at('2026-08-28T10:00');
    [received, imported] = await Promise.all([
      db.student.findUniqueOrThrow({ where: { id: leaverIds[0]! } }),
      db.student.findUniqueOrThrow({ where: { id: leaverIds[1]! } }),
    ]);
    const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: juniorClassId } });
    const out = await app.session.say(juniorPrincipal, 'dm', `接收 ${received.studentNo} ${cls.name}`);
    expect(out.delivered.find((d) => d.to === juniorPrincipal)!.text).toContain('已确认接收');
    await db.student.update({ where: { id: imported.id }, data: { classId: juniorClassId } });
    expect((await db.student.findUniqueOrThrow({ where: { id: received.id } })).classId).toBe(juniorClassId);
  });

  it('on the 10th school day of the autumn term every leaver not confirmed received becomes a suspected case; the towns get the names by DM', async () => {
    const db = app.deps.db;
    at('2026-09-11T18:00'); // the 9th school day: nothing yet
    await runner.tick();
    expect(await db.dropoutCase.count()).toBe(0);
    at('2026-09-14T18:00'); // the 10th
    await runner.tick();
    const cases = await db.dropoutCase.findMany({ orderBy: { studentId: 'asc' } });
    const expected = leaverIds.filter((id) => id !== received.id && id !== imported.id);
    expect(cases.map((c) => c.studentId)).toEqual(expected);
    expect(new Set(cases.map((c) => `${c.state} ${c.openedOn}`))).toEqual(new Set(['suspected 2026-09-14']));
    const states = await db.transferRequest.findMany({ where: { kind: 'leaver' }, select: { studentId: true, state: true } });
    const stateOf = new Map(states.map((s) => [s.studentId, s.state]));
    expect([stateOf.get(received.id), stateOf.get(imported.id)]).toEqual(['received', 'received']);
    expect(expected.every((id) => stateOf.get(id) === 'overdue')).toBe(true);
    const rows = await db.outbox.findMany({ where: { kind: 'duty:leaver_handover' }, orderBy: { id: 'asc' } });
    const check = rows.filter((r) => r.text.includes('小升初未确认接收'));
    expect(check.length).toBeGreaterThan(0);
    expect(check.every((r) => r.chatRef.includes(':dm:'))).toBe(true);
    const some = await db.student.findUniqueOrThrow({ where: { id: expected[0]! } });
    expect(check.some((r) => r.text.includes(some.name))).toBe(true);
    expect(check.some((r) => r.text.includes(received.name))).toBe(false);
    const town = await db.person.findFirstOrThrow({
      where: { role: 'town', townId: some.villageId ? (await db.village.findUniqueOrThrow({ where: { id: some.villageId } })).townId : -1 },
    });
    const ledger = (await app.session.say(town.staffId, 'dm', '个案')).delivered.map((d) => d.text).join('\n');
    expect(ledger).toContain(some.name);
    // a second tick changes nothing
    at('2026-09-14T19:00');
    await runner.tick();
    expect(await db.dropoutCase.count()).toBe(cases.length);
  });

  it('a leaver found later is received by the junior school: the case closes as transferred', async () => {
    const db = app.deps.db;
    at('2026-09-15T10:00');
    const late = await db.student.findUniqueOrThrow({ where: { id: leaverIds[2]! } });
    const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: juniorClassId } });
    await app.session.say(juniorPrincipal, 'dm', `接收 ${late.studentNo} ${cls.name}`);
    expect((await db.dropoutCase.findFirstOrThrow({ where: { studentId: late.id } })).state).toBe('withdrawn');
    expect((await db.transferRequest.findFirstOrThrow({ where: { studentId: late.id, kind: 'leaver' } })).state).toBe('received');
  });
});
