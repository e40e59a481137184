/**
 * 学校每月一统计: principals are reminded while their school's monthly report is unconfirmed (default the 20th,
 * 22nd and 23rd); at the school deadline (the 23rd) the town officials are told which schools have not confirmed.
 * Towns likewise before the 25th, and the county is told which towns have not.
 * A reminder falling on a day off moves to the school day before it; a deadline notice to the school day after it.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { at, endOf, localDates, shiftToSchoolDay } from './when.js';
import { peopleWithRole } from '../store/org.repository.js';
import { sendToPerson } from '../services/messenger.js';
import { schoolsNotConfirmed, townsNotConfirmed } from '../services/monthly-report.js';
import { dayLabel } from '../services/format.js';
import { clockLabel } from '../domain/zoned-time.js';
import { savePng, schoolTrend, schoolTrendPng } from '../reports/trend.js';
import type { DateStr } from '../domain/types.js';

interface Slot {
  month: string;
  /** The day the duty actually falls on, after moving off a day off. */
  day: DateStr;
  /** The nominal date (the deadline as the rules write it). */
  nominal: DateStr;
  dueAt: Date;
  /** Ledger period: the month and the actual day and time, so two reminders moved onto one time send once. */
  period: string;
}

function monthsOf(dates: DateStr[]): string[] {
  return [...new Set(dates.map((d) => d.slice(0, 7)))];
}

function slotsIn(deps: Deps, window: { from: Date; to: Date }, times: { day: number; minutes: number }[], dir: -1 | 1): Slot[] {
  const tz = deps.config.TIMEZONE;
  const out: Slot[] = [];
  for (const month of monthsOf(localDates(window.from, window.to, tz))) {
    for (const t of times) {
      const nominal = `${month}-${String(t.day).padStart(2, '0')}`;
      // a long vacation has no school day near: then the nominal day stands
      const day = shiftToSchoolDay(deps.calendar, nominal, dir) ?? nominal;
      const dueAt = at(day, t.minutes, tz);
      if (dueAt > window.from && dueAt <= window.to) out.push({ month, day, nominal, dueAt, period: `${month}@${day}T${clockLabel(t.minutes)}` });
    }
  }
  return out;
}

const monthLabel = (month: string) => `${Number(month.slice(5))}月`;
const confirmButton = (month: string) => ({ action: `confirm_report:${month}`, label: '确认月报', textEquivalent: `确认月报 ${month}` });

export const schoolReportReminder: Duty = {
  name: 'school_report_reminder',
  async due(deps, window) {
    const tz = deps.config.TIMEZONE;
    const deadline = deps.config.SCHOOL_REPORT_DEADLINE[0]!;
    const items: DueItem[] = [];
    for (const s of slotsIn(deps, window, deps.config.SCHOOL_REPORT_REMINDERS, -1)) {
      const period = s.period;
      const due = `${s.month}-${String(deadline.day).padStart(2, '0')}`;
      for (const school of await schoolsNotConfirmed(deps.db, s.month)) {
        const key = dutyKey('school_report_reminder', period, `school:${school.schoolId}`);
        items.push({
          key,
          duty: 'school_report_reminder',
          period,
          target: `school:${school.schoolId}`,
          dueAt: s.dueAt,
          // a reminder on the 22nd still goes out on the 22nd, not on the 23rd
          tooLate: window.to >= endOf(s.day, tz),
          async run(tx) {
            if (!(await schoolsNotConfirmed(tx, s.month)).some((x) => x.schoolId === school.schoolId)) return 0;
            const principals = await peopleWithRole(tx, 'principal', { schoolId: school.schoolId });
            const when = s.day === due ? '今天截止' : `须在${dayLabel(due)}前报镇政府`;
            const text = [
              `📅 月报提醒：${school.schoolName} ${monthLabel(s.month)}控辍保学月报还没有确认，${when}。`,
              '先回复“情况”核对本校数字（在籍、辍学、旷课、个案、各班周统计），无误后回复：',
              `确认月报 ${s.month}`,
            ].join('\n');
            // the school's term at a glance goes with the reminder (no names in it)
            const t = await schoolTrend(deps, tx, school.schoolId, s.day);
            const attachment = savePng(deps, `${school.schoolName}-趋势-${s.day}.png`, schoolTrendPng(t));
            for (const p of principals)
              await sendToPerson(tx, deps.clock.now(), p.id, text, {
                kind: 'duty:school_report_reminder',
                dutyKey: key,
                buttons: [confirmButton(s.month)],
                attachment,
              });
            return principals.length;
          },
        });
      }
    }
    return items;
  },
};

export const schoolReportOverdue: Duty = {
  name: 'school_report_overdue',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const s of slotsIn(deps, window, deps.config.SCHOOL_REPORT_DEADLINE, 1)) {
      const byTown = new Map<number, { townName: string; schools: string[] }>();
      for (const x of await schoolsNotConfirmed(deps.db, s.month)) {
        const t = byTown.get(x.townId) ?? { townName: x.townName, schools: [] };
        t.schools.push(x.schoolName);
        byTown.set(x.townId, t);
      }
      for (const [townId, t] of byTown) {
        const key = dutyKey('school_report_overdue', s.month, `town:${townId}`);
        items.push({
          key,
          duty: 'school_report_overdue',
          period: s.month,
          target: `town:${townId}`,
          dueAt: s.dueAt,
          // worth telling late while the town's own report is still open; not after its deadline
          tooLate:
            window.to >=
            endOf(
              shiftToSchoolDay(deps.calendar, `${s.month}-${String(deps.config.TOWN_REPORT_DEADLINE[0]!.day).padStart(2, '0')}`, 1) ?? s.day,
              deps.config.TIMEZONE,
            ),
          async run(tx) {
            const still = (await schoolsNotConfirmed(tx, s.month)).filter((x) => x.townId === townId);
            if (still.length === 0) return 0;
            const officials = await peopleWithRole(tx, 'town', { townId });
            const text = [
              `⚠️ ${t.townName} ${monthLabel(s.month)}月报：截至${dayLabel(s.nominal)}，以下 ${still.length} 所学校还没有确认：`,
              ...still.map((x) => `· ${x.schoolName}`),
              '请督促校长尽快核实确认。可回复“月报进度”查看全镇情况。',
            ].join('\n');
            for (const p of officials) await sendToPerson(tx, deps.clock.now(), p.id, text, { kind: 'duty:school_report_overdue', dutyKey: key });
            return officials.length;
          },
        });
      }
    }
    return items;
  },
};

export const townReportReminder: Duty = {
  name: 'town_report_reminder',
  async due(deps, window) {
    const tz = deps.config.TIMEZONE;
    const deadline = deps.config.TOWN_REPORT_DEADLINE[0]!;
    const items: DueItem[] = [];
    for (const s of slotsIn(deps, window, deps.config.TOWN_REPORT_REMINDERS, -1)) {
      const period = s.period;
      const due = `${s.month}-${String(deadline.day).padStart(2, '0')}`;
      for (const town of await townsNotConfirmed(deps.db, s.month)) {
        const key = dutyKey('town_report_reminder', period, `town:${town.townId}`);
        items.push({
          key,
          duty: 'town_report_reminder',
          period,
          target: `town:${town.townId}`,
          dueAt: s.dueAt,
          tooLate: window.to >= endOf(s.day, tz),
          async run(tx) {
            const now = (await townsNotConfirmed(tx, s.month)).find((x) => x.townId === town.townId);
            if (!now) return 0;
            const officials = await peopleWithRole(tx, 'town', { townId: town.townId });
            const when = s.day === due ? '今天截止' : `须在${dayLabel(due)}前报县教育局`;
            const text = [
              `📅 月报提醒：${town.townName} ${monthLabel(s.month)}控辍保学月报（全镇汇总）还没有确认，${when}。`,
              now.schoolsNotConfirmed.length ? `还没有确认的学校：${now.schoolsNotConfirmed.join('、')}` : '各校都已确认。',
              `各校确认后请回复：确认月报 ${s.month}`,
            ].join('\n');
            for (const p of officials)
              await sendToPerson(tx, deps.clock.now(), p.id, text, { kind: 'duty:town_report_reminder', dutyKey: key, buttons: [confirmButton(s.month)] });
            return officials.length;
          },
        });
      }
    }
    return items;
  },
};

export const townReportOverdue: Duty = {
  name: 'town_report_overdue',
  async due(deps, window) {
    const items: DueItem[] = [];
    for (const s of slotsIn(deps, window, deps.config.TOWN_REPORT_DEADLINE, 1)) {
      if ((await townsNotConfirmed(deps.db, s.month)).length === 0) continue;
      const key = dutyKey('town_report_overdue', s.month, 'county');
      items.push({
        key,
        duty: 'town_report_overdue',
        period: s.month,
        target: 'county',
        dueAt: s.dueAt,
        // the county is told late only within the month
        tooLate: localDates(s.dueAt, window.to, deps.config.TIMEZONE).some((d) => d.slice(0, 7) !== s.month),
        async run(tx) {
          const towns = await townsNotConfirmed(tx, s.month);
          if (towns.length === 0) return 0;
          const officials = await peopleWithRole(tx, 'county');
          const text = [
            `⚠️ ${monthLabel(s.month)}月报：截至${dayLabel(s.nominal)}，以下 ${towns.length} 个镇还没有确认全镇汇总：`,
            ...towns.map((t) => `· ${t.townName}${t.schoolsNotConfirmed.length ? `（未确认学校：${t.schoolsNotConfirmed.join('、')}）` : ''}`),
            '可回复“月报进度”查看各镇各校情况。',
          ].join('\n');
          for (const p of officials) await sendToPerson(tx, deps.clock.now(), p.id, text, { kind: 'duty:town_report_overdue', dutyKey: key });
          return officials.length;
        },
      });
    }
    return items;
  },
};
