/**
 * Duties at real size on real SQLite: one school of 1,200 pupils with 1,050 truants on one day (past SQLite's 999
 * bound values), then the 17:00 two-day check raises exactly the alerts the ladder calls for; the attendance reminder
 * and the weekly prompt fan out over every class of the school.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { addMarks, addOpenAlerts, bindGroups, buildCounty, takeAttendance, type CountyFixture } from '../helpers/duty-fixtures.js';
import { createDutyRunner } from '../../src/duties/runner.js';
import { attendanceReminder, twoDayCheck } from '../../src/duties/daily.duty.js';
import { weeklyPrompt } from '../../src/duties/weekly-count.duty.js';
import { local } from '../helpers/duty-sim.js';

let app: TestApp;
let f: CountyFixture;
const MON = '2026-11-23';
const group = (from: number, to: number) => () => f.studentIds.slice(from, to);
/** A: truant Fri+Mon (2 days); B: Mon only; C: Thu+Fri+Mon (3 days); D: Mon, already alerted; E: Mon but left the
 * school; F: Mon, corrected to sick leave. */
const A = group(0, 300);
const B = group(300, 450);
const C = group(450, 550);
const D = group(550, 1050);
const E = group(1050, 1070);
const F = group(1070, 1100);

beforeAll(async () => {
  app = await makeApp({ now: local(`${MON} 08:00`).toISOString(), demo: false });
  const db = app.deps.db;
  const at = app.clock.now();
  f = await buildCounty(db, { towns: 1, villagesPerTown: 10, schoolsPerTown: 1, classesPerSchool: 24, studentsPerClass: 50 }, at);
  const marks = (ids: number[], dates: string[], status = 'truant') => ids.flatMap((studentId) => dates.map((date) => ({ studentId, date, status })));
  await addMarks(
    db,
    f,
    [
      ...marks(A(), ['2026-11-20', MON]),
      ...marks(B(), [MON]),
      ...marks(C(), ['2026-11-19', '2026-11-20', MON]),
      ...marks(D(), [MON]),
      ...marks(E(), [MON]),
      ...marks(F(), [MON]),
      ...marks(F(), [MON], 'sick'),
    ],
    at,
  );
  await addOpenAlerts(
    db,
    D().map((studentId) => ({ studentId, step: 'call_family', streakSince: MON, streakDays: 1, raisedOn: MON })),
    at,
  );
  await db.student.updateMany({ where: { id: { in: E() } }, data: { status: 'transferred_out' } });
}, 300_000);

afterAll(async () => app?.close());

describe('the 17:00 two-day check with 1,050 truants in one school', () => {
  it('raises exactly the alerts the ladder calls for, to both lines', async () => {
    const db = app.deps.db;
    expect(await db.student.count()).toBe(1200);
    const runner = createDutyRunner(app.deps, [twoDayCheck]);
    app.clock.set(local(`${MON} 16:00`));
    await runner.tick();
    app.clock.set(local(`${MON} 17:01`));
    const r = await runner.tick();
    expect(r.failed).toEqual([]);
    expect(r.ran).toHaveLength(1050);
    const outcome = new Map(r.ran.map((x) => [Number(x.key.split('student:')[1]), x.outcome]));
    for (const id of [...A(), ...B(), ...C()]) expect(outcome.get(id)).toBe('sent');
    for (const id of D()) expect(outcome.get(id)).toBe('not_needed');
    for (const id of [...E(), ...F()]) expect(outcome.has(id)).toBe(false);

    const alerts = await db.alert.findMany({ include: { recipients: true }, orderBy: { id: 'asc' } });
    const of = (id: number) => alerts.filter((a) => a.studentId === id).map((a) => `${a.step}@${a.streakSince}x${a.streakDays}`);
    for (const id of A()) expect(of(id)).toEqual(['call_family@2026-11-20x2', 'joint_home_visit@2026-11-20x2']);
    for (const id of B()) expect(of(id)).toEqual([`call_family@${MON}x1`]);
    for (const id of C()) expect(of(id)).toEqual(['call_family@2026-11-19x3', 'joint_home_visit@2026-11-19x3', 'suspected_dropout@2026-11-19x3']);
    for (const id of D()) expect(of(id)).toEqual([`call_family@${MON}x1`]);
    for (const id of [...E(), ...F()]) expect(of(id)).toEqual([]);

    // recipients by step: the class teacher; + principal and village cadre; + the town official
    const people = new Map((await db.person.findMany()).map((p) => [p.id, p]));
    const students = new Map((await db.student.findMany({ include: { class: true, village: true } })).map((s) => [s.id, s]));
    for (const a of alerts.filter((x) => x.recipients.length > 0)) {
      const s = students.get(a.studentId)!;
      const roles = a.recipients
        .map((x) => people.get(x.personId)!)
        .map((p) => `${p.role}:${p.classId ?? p.schoolId ?? p.villageId ?? p.townId}`)
        .sort();
      const teacher = `class_teacher:${s.classId}`;
      const wide = [`principal:${s.class.schoolId}`, `village:${s.villageId}`];
      const expected =
        a.step === 'call_family' ? [teacher] : a.step === 'joint_home_visit' ? [teacher, ...wide] : [teacher, ...wide, `town:${s.village.townId}`];
      expect(roles).toEqual(expected.sort());
    }
    const sent = await db.outbox.findMany({ where: { kind: 'alert' } });
    expect(sent).toHaveLength(300 * 4 + 150 + 100 * 8);
    expect(sent.every((m) => m.chatRef.startsWith('console:dm:') && m.urgent)).toBe(true);
    const one = students.get(A()[0]!)!;
    const toPrincipal = sent.filter((m) => m.chatRef === `console:dm:P${one.class.schoolId}` && m.text.includes(one.name + '（'));
    expect(toPrincipal).toHaveLength(1);
    expect(toPrincipal[0]!.text).toContain('两天未到校预警');
    expect(toPrincipal[0]!.text).toContain('连续 2 个上学日');

    const cases = await db.dropoutCase.findMany({ include: { events: true }, orderBy: { studentId: 'asc' } });
    expect(cases.map((c) => c.studentId)).toEqual([...C()].sort((x, y) => x - y));
    expect(cases.every((c) => c.state === 'suspected' && c.openedOn === MON && c.events.map((e) => e.type).join() === 'assign')).toBe(true);
  }, 300_000);

  it('runs once: a later tick and a second process find everything done', async () => {
    const before = await app.deps.db.outbox.count();
    app.clock.set(local(`${MON} 17:30`));
    expect((await createDutyRunner(app.deps, [twoDayCheck]).tick()).ran).toEqual([]);
    expect(await app.deps.db.outbox.count()).toBe(before);
    expect(await app.deps.db.dutyRun.count({ where: { duty: 'two_day_check' } })).toBe(1050);
  }, 300_000);
});

describe('the school-wide fan-outs', () => {
  it('the attendance reminder goes to the class teachers of exactly the classes that took no attendance', async () => {
    const db = app.deps.db;
    const TUE = '2026-11-24';
    const quiet = f.classes.slice(0, 5).map((c) => c.id);
    // 10 classes said 今天全到, 9 more reported an absence; 5 did nothing
    await takeAttendance(
      db,
      f,
      f.classes.slice(5, 15).map((c) => c.id),
      TUE,
      app.clock.now(),
    );
    const absentees = f.classes.slice(15).map((c) => f.studentIds[f.classes.indexOf(c) * 50 + 7]!);
    await addMarks(
      db,
      f,
      absentees.map((studentId) => ({ studentId, date: TUE, status: 'sick' })),
      app.clock.now(),
    );
    const runner = createDutyRunner(app.deps, [attendanceReminder]);
    app.clock.set(local(`${TUE} 16:00`));
    await runner.tick();
    app.clock.set(local(`${TUE} 17:01`));
    const r = await runner.tick();
    expect(r.ran).toHaveLength(24);
    expect(
      r.ran
        .filter((x) => x.outcome === 'sent')
        .map((x) => Number(x.key.split('class:')[1]))
        .sort(),
    ).toEqual(quiet.sort());
    const sent = await db.outbox.findMany({ where: { kind: 'duty:attendance_reminder' } });
    expect(sent.map((m) => m.chatRef).sort()).toEqual(quiet.map((id) => `console:dm:T${id}`).sort());
  }, 300_000);

  it('the weekly prompt reaches every bound class group once', async () => {
    const db = app.deps.db;
    await bindGroups(db, f, app.clock.now());
    const runner = createDutyRunner(app.deps, [weeklyPrompt]);
    app.clock.set(local('2026-11-27 14:00'));
    await runner.tick();
    app.clock.set(local('2026-11-27 15:01'));
    const r = await runner.tick();
    expect(r.failed).toEqual([]);
    const sent = await db.outbox.findMany({ where: { kind: 'duty:weekly_prompt' } });
    expect(sent.map((m) => m.chatRef).sort()).toEqual(f.classes.map((c) => `console:group:g${c.id}`).sort());
    expect(await db.dutyRun.count({ where: { duty: 'weekly_prompt', outcome: 'sent' } })).toBe(24);
  }, 300_000);
});
