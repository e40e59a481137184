/**
 * The student-status service on a real database: each transition sets the status (and class) it names and writes
 * the register history that goes with it — nothing more, nothing less. The commands that use it (确认辍学, 复学,
 * 休学, 转学, 接收, 回执, 编入) are tested through the router in cases, transfers and attendance-day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { withWriteTransaction } from '../../src/store/write.js';
import type { Tx } from '../../src/store/prisma.js';
import { dropoutConfirmed, movedToClass, registerChanged, returnedToSchool, transferCompleted, transferTookEffect } from '../../src/services/student-status.js';

let app: TestApp;
let by: number;
let pupils: { id: number; classId: number }[];
let otherClass: number;
const at = new Date('2026-11-20T02:00:00Z');

const run = (fn: (tx: Tx) => Promise<void>) => withWriteTransaction(app.deps.db, fn);
const student = (id: number) => app.deps.db.student.findUniqueOrThrow({ where: { id }, select: { status: true, classId: true } });
const events = (studentId: number) =>
  app.deps.db.registerEvent.findMany({
    where: { studentId },
    orderBy: { id: 'asc' },
    select: { change: true, on: true, byId: true, classId: true, fromClassId: true, toClassId: true },
  });

beforeAll(async () => {
  app = await makeApp();
  const db = app.deps.db;
  by = (await db.person.findFirstOrThrow({ where: { role: 'principal' }, orderBy: { id: 'asc' } })).id;
  pupils = await db.student.findMany({ where: { status: 'enrolled' }, orderBy: { id: 'asc' }, take: 6, select: { id: true, classId: true } });
  const first = await db.schoolClass.findUniqueOrThrow({ where: { id: pupils[0]!.classId } });
  otherClass = (await db.schoolClass.findFirstOrThrow({ where: { schoolId: first.schoolId, id: { not: first.id } } })).id;
});
afterAll(() => app.close());

describe('student status, in one service', () => {
  it('确认辍学 makes the pupil dropped_out and 复学 enrolls again; the case keeps its own events, the register none', async () => {
    const p = pupils[0]!;
    await run((tx) => dropoutConfirmed(tx, p.id));
    expect((await student(p.id)).status).toBe('dropped_out');
    await run((tx) => returnedToSchool(tx, p.id));
    expect(await student(p.id)).toEqual({ status: 'enrolled', classId: p.classId });
    expect(await events(p.id)).toEqual([]);
  });

  it('a register change (休学) sets that status and records it', async () => {
    const p = pupils[1]!;
    await run((tx) => registerChanged(tx, { studentId: p.id, change: 'suspended', on: '2026-11-20', byId: by, at }));
    expect((await student(p.id)).status).toBe('suspended');
    expect(await events(p.id)).toEqual([{ change: 'suspended', on: '2026-11-20', byId: by, classId: null, fromClassId: null, toClassId: null }]);
  });

  it('a transfer taking effect takes the pupil off the roll with a transferred_out event of the class left', async () => {
    const p = pupils[2]!;
    await run((tx) => transferTookEffect(tx, { studentId: p.id, classId: p.classId, on: '2026-11-18', byId: by, at }));
    expect((await student(p.id)).status).toBe('transferred_out');
    expect(await events(p.id)).toEqual([{ change: 'transferred_out', on: '2026-11-18', byId: by, classId: p.classId, fromClassId: null, toClassId: null }]);
  });

  it('a held transfer received: transferred_out then transferred_in, enrolled in the receiving class', async () => {
    const p = pupils[3]!;
    await run((tx) => transferCompleted(tx, { ...p, status: 'enrolled' }, 'transfer', { classId: otherClass }, '2026-11-20', by, at));
    expect(await student(p.id)).toEqual({ status: 'enrolled', classId: otherClass });
    expect((await events(p.id)).map((e) => [e.change, e.classId])).toEqual([
      ['transferred_out', p.classId],
      ['transferred_in', otherClass],
    ]);
  });

  it('by receipt: a transfer already off the roll stays transferred_out with no second event; a leaver graduates', async () => {
    const [t, l] = [pupils[2]!, pupils[4]!];
    await run((tx) => transferCompleted(tx, { ...t, status: 'transferred_out' }, 'transfer', null, '2026-11-20', by, at));
    expect((await student(t.id)).status).toBe('transferred_out');
    expect((await events(t.id)).map((e) => e.change)).toEqual(['transferred_out']);
    await run((tx) => transferCompleted(tx, { ...l, status: 'enrolled' }, 'leaver', null, '2026-11-20', by, at));
    expect(await student(l.id)).toEqual({ status: 'graduated', classId: l.classId });
    expect(await events(l.id)).toEqual([]);
  });

  it('编入 moves the pupil to another class with a reclassed event (from, to); the status is untouched', async () => {
    const p = pupils[5]!;
    await run((tx) => movedToClass(tx, { studentId: p.id, fromClassId: p.classId, toClassId: otherClass, on: '2026-11-20', byId: by, at }));
    expect(await student(p.id)).toEqual({ status: 'enrolled', classId: otherClass });
    expect(await events(p.id)).toEqual([{ change: 'reclassed', on: '2026-11-20', byId: by, classId: null, fromClassId: p.classId, toClassId: otherClass }]);
  });
});
