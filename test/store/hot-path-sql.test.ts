/**
 * The hot path's reads written as SQL give what the model API gave: the same rows, values of the same types, keys
 * in the same order, in the same order — checked here against the model API's queries (the code they replaced),
 * on SQLite and (project "pg") PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Db } from '../../src/store/prisma.js';
import type { AttendanceStatus } from '../../src/domain/types.js';
import {
  addMark,
  classMarkRowsOn,
  classMarksOn,
  currentMark,
  historiesOf,
  historyOf,
  markClassTaken,
  takeClassAttendance,
  takenDaysOf,
} from '../../src/store/attendance.repository.js';
import { createAlerts, closeAlert, openAlertsOf, openAlertsOfMany, alertedUnmarkedOn } from '../../src/store/alert.repository.js';
import { findStudents, findStudentsWithMark, studentById } from '../../src/store/org.repository.js';
import { studentsByIds } from '../../src/store/duty.repository.js';
import { rollAndAbsences } from '../../src/store/weekly-count.repository.js';
import { hasUnreportedDead, DELIVERY_REPORT } from '../../src/store/outbox-upkeep.repository.js';
import { followUpsOf } from '../../src/store/follow-up.repository.js';
import { confirmedInMonths } from '../../src/store/month-reopen.repository.js';
import { recordUpdate, unhandledUpdates, markUpdatesHandled } from '../../src/store/inbound.repository.js';

/** Equal values and types, and the same keys in the same order (what JSON or a spread would show). */
function same(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const include = { class: { include: { school: true } }, village: { include: { town: true } } } as const;

describe('hot path SQL reads match the model API', () => {
  let app: TestApp;
  let db: Db;
  let classA: number;
  let classB: number;
  let pupilsA: { id: number; name: string; studentNo: string; villageId: number }[];
  let pupilsB: { id: number }[];
  let reporter: number;
  const at = new Date('2026-11-20T01:02:03.456Z');

  beforeAll(async () => {
    app = await makeApp();
    db = app.deps.db;
    const classes = await db.schoolClass.findMany({ orderBy: { id: 'asc' }, take: 2 });
    classA = classes[0]!.id;
    classB = classes[1]!.id;
    pupilsA = await db.student.findMany({
      where: { classId: classA },
      orderBy: { id: 'asc' },
      select: { id: true, name: true, studentNo: true, villageId: true },
    });
    pupilsB = await db.student.findMany({ where: { classId: classB }, orderBy: { id: 'asc' }, select: { id: true } });
    reporter = (await db.person.findFirst({ orderBy: { id: 'asc' } }))!.id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('marks: added rows, the mark in force, a class-day, histories', async () => {
    const [p1, p2, p3] = pupilsA;
    const b1 = pupilsB[0]!;
    const first = await addMark(db, { studentId: p1!.id, date: '2026-11-18', status: 'sick', note: '发烧', reportedById: reporter, chatRef: 'tg:1', at });
    same(first.row, await db.attendanceMark.findUnique({ where: { id: first.row.id } }));
    expect(first.previous).toBeNull();
    const second = await addMark(db, { studentId: p1!.id, date: '2026-11-18', status: 'personal', reportedById: reporter, chatRef: 'tg:1', at });
    same(second.row, await db.attendanceMark.findUnique({ where: { id: second.row.id } }));
    same(second.previous, await db.attendanceMark.findUnique({ where: { id: first.row.id } }));
    expect(second.row.supersedesId).toBe(first.row.id);
    await addMark(db, { studentId: p2!.id, date: '2026-11-18', status: 'present', reportedById: reporter, chatRef: 'tg:1', at });
    await addMark(db, { studentId: p2!.id, date: '2026-11-19', status: 'truant', reportedById: reporter, chatRef: 'tg:1', at });
    await addMark(db, { studentId: p3!.id, date: '2026-11-19', status: 'sick', reportedById: reporter, chatRef: 'tg:1', at });
    await addMark(db, { studentId: p3!.id, date: '2026-11-19', status: 'present', note: '更正', reportedById: reporter, chatRef: 'tg:1', at });
    await addMark(db, { studentId: b1.id, date: '2026-11-18', status: 'sick', reportedById: reporter, chatRef: 'tg:2', at });

    for (const p of [p1!, p2!, p3!, b1, { id: 999_999 }])
      for (const date of ['2026-11-17', '2026-11-18', '2026-11-19']) {
        same(await currentMark(db, p.id, date), await db.attendanceMark.findFirst({ where: { studentId: p.id, date }, orderBy: { id: 'desc' } }));
        const rows = await db.attendanceMark.findMany({ where: { studentId: p.id, date: { gte: date } }, orderBy: { id: 'asc' } });
        same(await historyOf(db, p.id, date), new Map(rows.map((r) => [r.date, r.status])));
      }

    for (const classId of [classA, classB, -1])
      for (const date of ['2026-11-17', '2026-11-18', '2026-11-19']) {
        const ids = (await db.student.findMany({ where: { classId }, select: { id: true } })).map((s) => s.id);
        const rows = await db.attendanceMark.findMany({ where: { date, studentId: { in: ids } }, orderBy: { id: 'asc' } });
        same(await classMarkRowsOn(db, classId, date), new Map(rows.map((r) => [r.studentId, r])));
        same(await classMarksOn(db, classId, date), new Map(rows.map((r) => [r.studentId, r.status as AttendanceStatus])));
      }

    const ids = [p1!.id, p2!.id, p3!.id, b1.id, pupilsA[5]!.id];
    const reference = new Map(ids.map((id) => [id, new Map<string, string>()]));
    for (const r of await db.attendanceMark.findMany({ where: { studentId: { in: ids }, date: { gte: '2026-11-18' } }, orderBy: { id: 'asc' } }))
      reference.get(r.studentId)!.set(r.date, r.status);
    same(await historiesOf(db, ids, '2026-11-18'), reference);
  });

  it('class taken once a day', async () => {
    await markClassTaken(db, classA, '2026-11-18', reporter, 'tg:1', at);
    await markClassTaken(db, classA, '2026-11-18', reporter, 'tg:9', new Date('2026-11-20T05:00:00Z'));
    await markClassTaken(db, classA, '2026-11-19', reporter, 'tg:1', at);
    const rows = await db.classAttendance.findMany({ where: { classId: classA }, orderBy: { id: 'asc' } });
    expect(rows.map(({ id: _, ...r }) => r)).toStrictEqual([
      { classId: classA, date: '2026-11-18', reportedById: reporter, chatRef: 'tg:1', recordedAt: at },
      { classId: classA, date: '2026-11-19', reportedById: reporter, chatRef: 'tg:1', recordedAt: at },
    ]);
    same(
      await takenDaysOf(db, [classA, classB, classA], '2026-11-19'),
      new Map([
        [classA, new Set(['2026-11-19'])],
        [classB, new Set()],
      ]),
    );
    same(await takenDaysOf(db, [classA], '2026-11-01'), new Map([[classA, new Set(['2026-11-18', '2026-11-19'])]]));
  });

  it('open alerts, one and many, and the enrolled pupils of a class with one', async () => {
    const [p1, p2, p3, p4] = pupilsA;
    const alert = (studentId: number, step: string) => ({
      studentId,
      step,
      streakSince: '2026-11-16',
      streakDays: 3,
      raisedOn: '2026-11-18',
      at,
      remindAfterMin: 60,
      visitWithinMin: 1440,
    });
    const made = await createAlerts(db, [
      alert(p1!.id, 'call_family'),
      alert(p1!.id, 'joint_home_visit'),
      alert(p2!.id, 'call_family'),
      alert(p3!.id, 'call_family'),
      alert(p4!.id, 'call_family'),
    ]);
    await closeAlert(db, made.get(`${p2!.id}:call_family`)!.id, 'resolved', at);
    await db.alert.update({ where: { id: made.get(`${p1!.id}:joint_home_visit`)!.id }, data: { escalation: 'town', escalatedAt: at } });
    await db.student.update({ where: { id: p4!.id }, data: { status: 'transferred' } });
    for (const p of [p1!, p2!, p3!, p4!, { id: 999_999 }])
      same(await openAlertsOf(db, p.id), await db.alert.findMany({ where: { studentId: p.id, status: 'open' }, orderBy: { id: 'asc' } }));
    const ids = [p3!.id, p1!.id, p2!.id, 999_999];
    const many = await openAlertsOfMany(db, ids);
    const reference = new Map<number, unknown[]>(ids.map((id) => [id, []]));
    for (const r of await db.alert.findMany({ where: { studentId: { in: ids }, status: 'open' }, orderBy: { id: 'asc' } })) reference.get(r.studentId)!.push(r);
    same(many, reference);
    // p3 has a mark on the day (the class's attendance counts only the alerted pupils without one as present).
    const day = '2026-10-02';
    await addMark(db, { studentId: p3!.id, date: day, status: 'sick', reportedById: reporter, chatRef: 'test:dm:1', at });
    for (const classId of [classA, classB]) {
      for (const date of [day, '2026-10-01', '2026-11-18']) {
        const enrolled = (await db.student.findMany({ where: { classId, status: 'enrolled' }, select: { id: true } })).map((s) => s.id);
        const marked = (await db.attendanceMark.findMany({ where: { date, studentId: { in: enrolled } }, select: { studentId: true } })).map(
          (m) => m.studentId,
        );
        const rows = await db.alert.findMany({
          where: { status: 'open', studentId: { in: enrolled.filter((id) => !marked.includes(id)) } },
          select: { studentId: true },
          distinct: ['studentId'],
          orderBy: { studentId: 'asc' },
        });
        same(
          await alertedUnmarkedOn(db, classId, date),
          rows.map((r) => r.studentId),
        );
      }
    }
    expect(await alertedUnmarkedOn(db, classA, '2026-10-01')).toStrictEqual([p1!.id, p3!.id].sort((a, b) => a - b));
    expect(await alertedUnmarkedOn(db, classA, day)).toStrictEqual([p1!.id]);
    // Taking the class's attendance (one statement on PostgreSQL): recorded once, the same pupils as the two steps.
    for (const date of [day, '2026-10-01']) {
      const expected = await alertedUnmarkedOn(db, classA, date);
      same(await takeClassAttendance(db, classA, date, reporter, 'tg:take', at), expected);
      same(await takeClassAttendance(db, classA, date, reporter, 'tg:again', at), expected);
      const taken = await db.classAttendance.findMany({ where: { classId: classA, date }, select: { chatRef: true, recordedAt: true } });
      expect(taken).toStrictEqual([{ chatRef: 'tg:take', recordedAt: at }]);
    }
    await db.student.update({ where: { id: p4!.id }, data: { status: 'enrolled' } });
  });

  it('students with class, school, village and town', async () => {
    const p = pupilsA[0]!;
    same(await studentById(db, p.id), await db.student.findUnique({ where: { id: p.id }, include }));
    expect(await studentById(db, 999_999)).toBeNull();
    const ids = [pupilsB[1]!.id, p.id, pupilsA[3]!.id, 999_999, p.id];
    const byIds = await studentsByIds(db, ids);
    const reference = await db.student.findMany({ where: { id: { in: ids } }, include, orderBy: { id: 'asc' } });
    same(
      [...byIds.entries()],
      reference.map((s) => [s.id, s]),
    );

    // a namesake in another class and school, found by name or 学籍号 tail in each scope
    const other = (await db.student.findFirst({
      where: { class: { schoolId: { not: (await db.schoolClass.findUnique({ where: { id: classA } }))!.schoolId } } },
    }))!;
    await db.student.create({
      data: {
        studentNo: `${p.studentNo.slice(0, -4)}X${p.studentNo.slice(-3)}`,
        name: p.name,
        gender: 'F',
        classId: other.classId,
        villageId: other.villageId,
        createdAt: at,
        updatedAt: at,
      },
    });
    const school = (await db.schoolClass.findUnique({ where: { id: classA } }))!.schoolId;
    const scopes = [{}, { classId: classA }, { schoolId: school }, { villageId: p.villageId }, { classId: -1 }];
    const tokens = [
      p.name,
      p.studentNo.slice(-6),
      p.studentNo.slice(-3),
      `x${p.studentNo.slice(-3)}`,
      p.studentNo.slice(-4).toLowerCase(),
      '没有这个人',
      p.studentNo,
    ];
    for (const where of scopes)
      for (const token of tokens) {
        const scope = {
          ...(where.classId !== undefined ? { classId: where.classId } : {}),
          ...(where.schoolId !== undefined ? { class: { schoolId: where.schoolId } } : {}),
          ...(where.villageId !== undefined ? { villageId: where.villageId } : {}),
        };
        let expected = await db.student.findMany({ where: { ...scope, name: token }, include, orderBy: { id: 'asc' } });
        if (expected.length === 0)
          expected = /^[A-Za-z]?\d{4,}$/.test(token)
            ? await db.student.findMany({ where: { ...scope, studentNo: { endsWith: token } }, include, orderBy: { id: 'asc' } })
            : [];
        same(await findStudents(db, where, token), expected);
        // with each one's mark in force on a day (none; two, the later in force; another day's only)
        for (const date of ['2026-11-17', '2026-11-18', '2026-11-19']) {
          const withMarks = [];
          for (const s of expected) {
            const m = await db.attendanceMark.findFirst({ where: { studentId: s.id, date }, orderBy: { id: 'desc' } });
            withMarks.push({ ...s, dayMark: m ? { status: m.status, note: m.note } : null });
          }
          same(await findStudentsWithMark(db, where, token, date), withMarks);
        }
      }
    expect((await findStudents(db, {}, p.name)).length).toBe(2);
    expect((await findStudentsWithMark(db, {}, p.name, '2026-11-18')).map((s) => s.dayMark)).toEqual([{ status: 'personal', note: null }, null]);
  });

  it('the roll and the week’s absences of a class', async () => {
    for (const classId of [classA, classB, -1]) {
      for (const [from, to] of [
        ['2026-11-16', '2026-11-20'],
        ['2026-11-19', '2026-11-19'],
      ] as const) {
        const pupils = await db.student.findMany({ where: { classId }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
        const byDay = new Map<string, string>();
        for (const r of await db.attendanceMark.findMany({
          where: { studentId: { in: pupils.map((x) => x.id) }, date: { gte: from, lte: to } },
          orderBy: { id: 'asc' },
        }))
          byDay.set(`${r.studentId}|${r.date}`, r.status);
        const statuses = new Map<number, string[]>();
        for (const [key, status] of byDay) {
          if (status === 'present') continue;
          const id = Number(key.slice(0, key.indexOf('|')));
          statuses.set(id, [...(statuses.get(id) ?? []), status]);
        }
        same(await rollAndAbsences(db, classId, from, to), {
          enrolled: await db.student.count({ where: { classId, status: 'enrolled' } }),
          marked: pupils.filter((x) => statuses.has(x.id)).map((x) => ({ name: x.name, statuses: statuses.get(x.id)! })),
        });
      }
    }
  });

  it('dead letters not yet reported', async () => {
    const reference = async () =>
      (await db.outbox.findFirst({ where: { status: 'dead', deadReportedAt: null, kind: { not: DELIVERY_REPORT } }, select: { id: true } })) !== null;
    const dead = (kind: string, deadReportedAt: Date | null) =>
      db.outbox.create({ data: { createdAt: at, chatRef: 'tg:1', text: 'x', kind, status: 'dead', deadReportedAt } });
    expect(await hasUnreportedDead(db)).toBe(await reference());
    await dead(DELIVERY_REPORT, null);
    await dead('reply', at);
    expect(await hasUnreportedDead(db)).toBe(false);
    expect(await reference()).toBe(false);
    await dead('alert', null);
    expect(await hasUnreportedDead(db)).toBe(true);
    expect(await reference()).toBe(true);
  });

  it('updates not yet handled, oldest first', async () => {
    for (let i = 1; i <= 5; i++) await recordUpdate(db, { platform: 'telegram', updateId: `u${i}`, chatRef: `tg:${i}`, payload: `{"n":${i}}`, at });
    const first = (await db.inboundUpdate.findFirst({ where: { updateId: 'u2' } }))!.id;
    await markUpdatesHandled(db, [first], at);
    await db.inboundUpdate.update({ where: { id: first + 1 }, data: { attempts: 2 } });
    for (const limit of [1, 3, 10]) {
      same(
        await unhandledUpdates(db, limit),
        await db.inboundUpdate.findMany({
          where: { handledAt: null },
          orderBy: { id: 'asc' },
          take: limit,
          select: { id: true, chatRef: true, payload: true, attempts: true },
        }),
      );
    }
  });

  it('follow-ups after a return, and the months confirmed', async () => {
    const [p1, p2, p3, p4] = pupilsA;
    const kase = async (studentId: number, state: string, returns: string[], other = false) => {
      const c = await db.dropoutCase.create({ data: { studentId, state, openedOn: '2026-10-01', createdAt: at } });
      for (const followUntil of returns)
        await db.caseEvent.create({ data: { caseId: c.id, type: 'return', payload: JSON.stringify({ followUntil }), byId: reporter, recordedAt: at } });
      if (other) await db.caseEvent.create({ data: { caseId: c.id, type: 'visit', payload: '{}', byId: reporter, recordedAt: at } });
      return c.id;
    };
    await kase(p1!.id, 'following', ['2026-12-01', '2026-12-15'], true);
    await kase(p2!.id, 'following', []);
    await kase(p3!.id, 'returned', ['2026-12-01']);
    await kase(p4!.id, 'following', ['2026-12-20']);
    const reference = async (ids: number[]) => {
      const out = new Map<number, { caseId: number; studentId: number; until: string }>();
      const rows = await db.dropoutCase.findMany({
        where: { state: 'following', studentId: { in: ids } },
        include: { events: { where: { type: 'return' }, orderBy: { id: 'desc' }, take: 1, select: { payload: true } } },
      });
      for (const r of rows) {
        const until = r.events[0] && (JSON.parse(r.events[0].payload) as { followUntil?: string }).followUntil;
        if (until) out.set(r.studentId, { caseId: r.id, studentId: r.studentId, until });
      }
      return out;
    };
    for (const ids of [[p1!.id, p2!.id, p3!.id, p4!.id, 999_999], [p2!.id], [p4!.id, p1!.id]]) same(await followUpsOf(db, ids), await reference(ids));
    expect((await followUpsOf(db, [p1!.id])).get(p1!.id)?.until).toBe('2026-12-15');

    const school = (await db.schoolClass.findUnique({ where: { id: classA } }))!.schoolId;
    for (const month of ['2026-09', '2026-10'])
      await db.monthlyConfirmation.create({ data: { schoolId: school, month, figures: '{}', confirmedById: reporter, chatRef: 'tg:1', confirmedAt: at } });
    const sorted = (rows: { schoolId: number; month: string }[]) => [...rows].sort((a, b) => a.month.localeCompare(b.month) || a.schoolId - b.schoolId);
    for (const months of [[], ['2026-11'], ['2026-10', '2026-11'], ['2026-09', '2026-10']])
      same(
        sorted(await confirmedInMonths(db, months)),
        sorted(await db.monthlyConfirmation.findMany({ where: { month: { in: months } }, select: { schoolId: true, month: true } })),
      );
  });
});
