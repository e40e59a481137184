/**
 * The daily cut-off on school days: a class teacher who has not taken attendance is reminded; every student
 * absent without reason today goes through the absence ladder (alerts are normally raised the moment a teacher
 * marks them — this catches any that were not); and on a return day (start of term, after a break) a student
 * absent without reason becomes a suspected-dropout case at once.
 *
 * The reminder goes to a class that took no attendance today, and also names the earlier school days of the last
 * week its attendance is still unknown (no 今天全到 and no mark for any of its pupils): an unknown day neither breaks
 * nor extends an absence streak, so filling it in matters. Only class-level days go out, by DM to the class teacher.
 * A follow-up after 复学 ends at the cut-off of its last day (follow_up_end): the case is closed (动态销号) and the
 * class teacher and the town are told by DM; a pupil with an open alert then is kept on follow-up until it closes.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueBatch, DueItem } from './types.js';
import type { Tx } from '../store/prisma.js';
import { dutyKey } from './types.js';
import { at, endOf, isReturnDay, localDates } from './when.js';
import { classesTakenOnDays, classesWithTeachers, responsibleForMany, studentsByIds, truantOn, type ClassRow } from '../store/duty.repository.js';
import { applyLadderMany } from '../services/absence-alerts.js';
import { directSender } from '../services/direct-sender.js';
import { endFollowUp, openSuspectedCase } from '../services/cases.js';
import { recentSchoolDays } from '../domain/absence.js';
import { followUpsEndedBy, studentsWithOpenAlertsAmong } from '../store/follow-up.repository.js';
import { dayLabel, studentLine } from '../services/format.js';
import { clockLabel } from '../domain/zoned-time.js';
import type { DateStr } from '../domain/types.js';

/** School days whose cut-off lies in the window. */
export function cutoffs(deps: Deps, window: { from: Date; to: Date }): { date: DateStr; dueAt: Date; tooLate: boolean }[] {
  const tz = deps.config.TIMEZONE;
  return localDates(window.from, window.to, tz)
    .filter((d) => deps.calendar.isSchoolDay(d))
    .map((date) => ({ date, dueAt: at(date, deps.config.DAILY_CUTOFF_AT, tz), tooLate: window.to >= endOf(date, tz) }))
    .filter((c) => c.dueAt > window.from && c.dueAt <= window.to);
}

export const attendanceReminder: Duty = {
  name: 'attendance_reminder',
  async due(deps, window) {
    const days = cutoffs(deps, window);
    if (days.length === 0) return [];
    const classes = (await classesWithTeachers(deps.db)).filter((c) => c.teachers.length > 0);
    return days.flatMap((d) => {
      const text = (c: ClassRow, missing: DateStr[]) =>
        `⏰ ${dayLabel(d.date)} ${clockLabel(deps.config.DAILY_CUTOFF_AT)} 了，还没有收到 ${c.name} 今天的考勤。\n都到了请回复：今天全到\n有缺勤请回复，如：缺勤 张三 病假（没有请假的写 旷课）` +
        (missing.length > 0
          ? `\n另外，${missing.map((m) => dayLabel(m)).join('、')}的考勤也还没有收到（没有考勤的日子无法判断学生是否连续缺勤）。补报请加日期，如：全到 ${missing[0]!.slice(5)} 或 缺勤 张三 旷课 ${missing[0]!.slice(5)}`
          : '');
      // A class is reminded when its attendance was not taken: one read, for many classes, of the classes that took
      // attendance today and on the week's earlier school days (those still unknown are named in the reminder).
      const remind = async (tx: Tx, list: readonly { key: string; c: ClassRow }[]) => {
        const earlier = recentSchoolDays(deps.calendar, d.date);
        const takenOn = await classesTakenOnDays(tx, [d.date, ...earlier]);
        const todo = list.filter((x) => !takenOn.get(d.date)!.has(x.c.id));
        const missingOf = (classId: number) => earlier.filter((day) => !takenOn.get(day)!.has(classId));
        const send = await directSender(
          tx,
          deps.clock.now(),
          todo.flatMap((x) => x.c.teachers.map((t) => t.id)),
        );
        const out = new Map<string, number>();
        for (const { key, c } of todo) {
          const body = text(c, missingOf(c.id));
          for (const t of c.teachers) await send(t.id, body, { kind: 'duty:attendance_reminder', dutyKey: key });
          out.set(key, c.teachers.length);
        }
        return out;
      };
      const byKey = new Map<string, ClassRow>();
      const batch: DueBatch = {
        run: (tx, items) =>
          remind(
            tx,
            items.map((i) => ({ key: i.key, c: byKey.get(i.key)! })),
          ),
      };
      return classes.map((c): DueItem => {
        const key = dutyKey('attendance_reminder', d.date, `class:${c.id}`);
        byKey.set(key, c);
        return {
          key,
          duty: 'attendance_reminder',
          period: d.date,
          target: `class:${c.id}`,
          dueAt: d.dueAt,
          // a reminder about today is pointless tomorrow
          tooLate: d.tooLate,
          batch,
          run: async (tx) => (await remind(tx, [{ key, c }])).get(key) ?? 0,
        };
      });
    });
  },
};

export const twoDayCheck: Duty = {
  name: 'two_day_check',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const d of cutoffs(deps, window)) {
      // The whole day's truants go through the ladder together: a few set-based reads, then each student.
      const check = async (tx: Tx, keys: readonly { key: string; studentId: number }[]) => {
        const r = await applyLadderMany(
          deps,
          tx,
          keys.map((k) => k.studentId),
          d.date,
          '每日核查',
        );
        return new Map(keys.map((k) => [k.key, r.get(k.studentId)!.raised.reduce((n, a) => n + a.recipients, 0)]));
      };
      const studentOf = new Map<string, number>();
      const batch: DueBatch = {
        run: (tx, list) =>
          check(
            tx,
            list.map((i) => ({ key: i.key, studentId: studentOf.get(i.key)! })),
          ),
      };
      for (const studentId of await truantOn(deps.db, d.date)) {
        const key = dutyKey('two_day_check', d.date, `student:${studentId}`);
        studentOf.set(key, studentId);
        items.push({
          key,
          duty: 'two_day_check',
          period: d.date,
          target: `student:${studentId}`,
          dueAt: d.dueAt,
          // a missing child is never too late to raise
          batch,
          run: async (tx) => (await check(tx, [{ key, studentId }])).get(key) ?? 0,
        });
      }
    }
    return items;
  },
};

export const returnCases: Duty = {
  name: 'return_cases',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const d of cutoffs(deps, window)) {
      if (!isReturnDay(deps.calendar, d.date, deps.config.RETURN_CHECK_AFTER_DAYS_OFF)) continue;
      // The day's truants become cases together: students and responsible people read once per batch.
      const open = async (tx: Tx, keys: readonly { key: string; studentId: number }[]) => {
        const students = [
          ...(
            await studentsByIds(
              tx,
              keys.map((k) => k.studentId),
            )
          ).values(),
        ].filter((s) => s.status === 'enrolled');
        const peopleOf = await responsibleForMany(tx, students);
        const send = await directSender(
          tx,
          deps.clock.now(),
          students.flatMap((s) =>
            Object.values(peopleOf(s))
              .flat()
              .map((p) => p.id),
          ),
        );
        const keyOf = new Map(keys.map((k) => [k.studentId, k.key]));
        const out = new Map<string, number>();
        for (const s of students) {
          const key = keyOf.get(s.id)!;
          const people = peopleOf(s);
          const caseId = await openSuspectedCase(deps, tx, s, d.date, people);
          if (caseId === undefined) continue; // a case is already open
          const text = `🏫 返校核查：${studentLine(s)} ${dayLabel(d.date)}没有返校，也没有请假，已列入疑似辍学台账（个案 #${caseId}）。\n请班主任与村干部尽快联系家长、入户家访，家访后回复：家访 ${s.name} <原因> <结果>`;
          const to = [...people.classTeachers, ...people.principals, ...people.cadres];
          for (const p of to) await send(p.id, text, { kind: 'duty:return_cases', dutyKey: key, urgent: true });
          out.set(key, to.length);
        }
        return out;
      };
      const studentOf = new Map<string, number>();
      const batch: DueBatch = {
        run: (tx, list) =>
          open(
            tx,
            list.map((i) => ({ key: i.key, studentId: studentOf.get(i.key)! })),
          ),
      };
      for (const studentId of await truantOn(deps.db, d.date)) {
        const key = dutyKey('return_cases', d.date, `student:${studentId}`);
        studentOf.set(key, studentId);
        items.push({
          key,
          duty: 'return_cases',
          period: d.date,
          target: `student:${studentId}`,
          dueAt: d.dueAt,
          batch,
          run: async (tx) => (await open(tx, [{ key, studentId }])).get(key) ?? 0,
        });
      }
    }
    return items;
  },
};

/**
 * The end of a follow-up after 复学: at the cut-off of its last school day (or the first cut-off after it) the case is
 * closed (动态销号), the event recorded, and the class teacher and the town told by DM. Keyed per cut-off day, and
 * the case's state is checked inside the transaction: a case already closed, relapsed or with an open alert is left
 * (the latter is tried again the next school day).
 */
export const followUpEnd: Duty = {
  name: 'follow_up_end',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const d of cutoffs(deps, window)) {
      const ended = await followUpsEndedBy(deps.db, d.date);
      if (ended.length === 0) continue;
      const close = async (tx: Tx, list: readonly { key: string; studentId: number; until: DateStr }[]) => {
        const alerted = await studentsWithOpenAlertsAmong(
          tx,
          list.map((x) => x.studentId),
        );
        const todo = list.filter((x) => !alerted.has(x.studentId));
        const students = await studentsByIds(
          tx,
          todo.map((x) => x.studentId),
        );
        const peopleOf = await responsibleForMany(tx, [...students.values()]);
        const send = await directSender(
          tx,
          deps.clock.now(),
          [...students.values()].flatMap((s) => [...peopleOf(s).classTeachers, ...peopleOf(s).townOfficials].map((p) => p.id)),
        );
        const out = new Map<string, number>();
        for (const x of todo) {
          const s = students.get(x.studentId);
          if (!s) continue;
          const closed = await endFollowUp(deps, tx, x.studentId, d.date);
          if (!closed) continue;
          const p = peopleOf(s);
          const to = [...new Map([...p.classTeachers, ...p.townOfficials].map((q) => [q.id, q])).values()];
          const text = `✅ 复学跟踪期满：${studentLine(s)} 复学后跟踪至${dayLabel(x.until)}，期间没有需要家访的缺勤，个案 #${closed.caseId} 已销号（动态销号）。`;
          for (const q of to) await send(q.id, text, { kind: 'duty:follow_up_end', dutyKey: x.key });
          out.set(x.key, to.length);
        }
        return out;
      };
      const byKey = new Map<string, { studentId: number; until: DateStr }>();
      const batch: DueBatch = {
        run: (tx, list) =>
          close(
            tx,
            list.map((i) => ({ key: i.key, ...byKey.get(i.key)! })),
          ),
      };
      for (const f of ended) {
        const key = dutyKey('follow_up_end', d.date, `case:${f.caseId}`);
        byKey.set(key, { studentId: f.studentId, until: f.until });
        items.push({
          key,
          duty: 'follow_up_end',
          period: d.date,
          target: `case:${f.caseId}`,
          dueAt: d.dueAt,
          batch,
          run: async (tx) => (await close(tx, [{ key, studentId: f.studentId, until: f.until }])).get(key) ?? 0,
        });
      }
    }
    return items;
  },
};
