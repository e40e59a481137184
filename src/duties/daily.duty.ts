/**
 * The daily cut-off on school days: a class teacher who has not taken attendance is reminded; every student
 * absent without reason today goes through the absence ladder (alerts are normally raised the moment a teacher
 * marks them — this catches any that were not); and on a return day (start of term, after a break) a student
 * absent without reason becomes a suspected-dropout case at once.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { at, endOf, isReturnDay, localDates } from './when.js';
import { classesTakenOn, classesWithTeachers, truantOn } from '../store/duty.repository.js';
import { responsibleFor, studentById } from '../store/org.repository.js';
import { sendToPerson } from '../services/messenger.js';
import { applyLadder } from '../services/absence-alerts.js';
import { openSuspectedCase } from '../services/cases.js';
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
    return days.flatMap((d) =>
      classes.map((c): DueItem => {
        const key = dutyKey('attendance_reminder', d.date, `class:${c.id}`);
        return {
          key,
          duty: 'attendance_reminder',
          period: d.date,
          target: `class:${c.id}`,
          dueAt: d.dueAt,
          // a reminder about today is pointless tomorrow
          tooLate: d.tooLate,
          async run(tx) {
            if ((await classesTakenOn(tx, d.date)).has(c.id)) return 0;
            const text = `⏰ ${dayLabel(d.date)} ${clockLabel(deps.config.DAILY_CUTOFF_AT)} 了，还没有收到 ${c.name} 今天的考勤。\n都到了请回复：今天全到\n有缺勤请回复，如：缺勤 张三 病假（没有请假的写 旷课）`;
            for (const t of c.teachers) await sendToPerson(tx, deps.clock.now(), t.id, text, { kind: 'duty:attendance_reminder', dutyKey: key });
            return c.teachers.length;
          },
        };
      }),
    );
  },
};

export const twoDayCheck: Duty = {
  name: 'two_day_check',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const d of cutoffs(deps, window)) {
      for (const studentId of await truantOn(deps.db, d.date)) {
        const key = dutyKey('two_day_check', d.date, `student:${studentId}`);
        items.push({
          key,
          duty: 'two_day_check',
          period: d.date,
          target: `student:${studentId}`,
          dueAt: d.dueAt,
          // a missing child is never too late to raise
          async run(tx) {
            const r = await applyLadder(deps, tx, studentId, d.date, '每日核查');
            return r.raised.reduce((n, a) => n + a.recipients, 0);
          },
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
      for (const studentId of await truantOn(deps.db, d.date)) {
        const key = dutyKey('return_cases', d.date, `student:${studentId}`);
        items.push({
          key,
          duty: 'return_cases',
          period: d.date,
          target: `student:${studentId}`,
          dueAt: d.dueAt,
          async run(tx) {
            const s = await studentById(tx, studentId);
            if (!s || s.status !== 'enrolled') return 0;
            const people = await responsibleFor(tx, s);
            const caseId = await openSuspectedCase(deps, tx, s, d.date, people);
            if (caseId === undefined) return 0; // a case is already open
            const text = `🏫 返校核查：${studentLine(s)} ${dayLabel(d.date)}没有返校，也没有请假，已列入疑似辍学台账（个案 #${caseId}）。\n请班主任与村干部尽快联系家长、入户家访，家访后回复：家访 ${s.name} <原因> <结果>`;
            const to = [...people.classTeachers, ...people.principals, ...people.cadres];
            for (const p of to) await sendToPerson(tx, deps.clock.now(), p.id, text, { kind: 'duty:return_cases', dutyKey: key, urgent: true });
            return to.length;
          },
        });
      }
    }
    return items;
  },
};
