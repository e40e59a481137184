/**
 * Rules between configuration variables: a schedule that contradicts itself, a term list that gives no school day,
 * a calendar that says the same day is both a holiday and a school day. Each rule runs only when the variables it
 * reads parsed, so a bad variable is reported once, by its own line, and the other rules still run.
 */
import type { Config } from './config.js';
import type { ConfigProblem } from './core/platform.js';
import { REGISTRY } from '../adapters/registry.js';

export type { ConfigProblem };

/** The longest quiet period that still leaves a working day for nudges and reminders. */
const MAX_QUIET_MINUTES = 14 * 60;

type MonthlyAt = { day: number; minutes: number };
const at = (x: MonthlyAt) => x.day * 1440 + x.minutes;
const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

function inQuiet(q: { start: number; end: number }, minutes: number): boolean {
  return q.start < q.end ? minutes >= q.start && minutes < q.end : minutes >= q.start || minutes < q.end;
}

export function crossChecks(c: Partial<Config>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (name: string, message: string) => out.push({ name, message });

  // Each platform's rules between its own variables (a webhook without its secret, half an app's credentials).
  for (const p of REGISTRY) out.push(...(p.checks?.(c) ?? []));

  if (c.TERMS) {
    if (c.TERMS.length === 0) add('TERMS', '至少要有一个学期，否则永远没有上学日，如 2026秋季学期:2026-09-01..2027-01-22');
    const terms = [...c.TERMS].sort((a, b) => a.start.localeCompare(b.start));
    for (let i = 1; i < terms.length; i++) {
      if (terms[i]!.start <= terms[i - 1]!.end)
        add('TERMS', `学期“${terms[i - 1]!.name}”和“${terms[i]!.name}”的日期重叠，请分开，如 …..2027-01-22;2027春季学期:2027-02-22..`);
    }
  }
  if (c.EXTRA_HOLIDAYS && c.EXTRA_SCHOOL_DAYS) {
    const both = c.EXTRA_HOLIDAYS.filter((d) => c.EXTRA_SCHOOL_DAYS!.includes(d));
    if (both.length) add('EXTRA_SCHOOL_DAYS', `${both.join('、')} 同时写在 EXTRA_HOLIDAYS 里：同一天不能既放假又上学，请只保留一处`);
  }

  const deadlineCheck = (reminders: keyof Config, deadline: keyof Config, example: string) => {
    const r = c[reminders] as MonthlyAt[] | undefined;
    const d = c[deadline] as MonthlyAt[] | undefined;
    if (d && d.length !== 1) add(deadline, `只能有一个截止时间，如 ${example}`);
    if (!r || !d || d.length !== 1) return;
    const late = r.filter((x) => at(x) >= at(d[0]!));
    if (late.length)
      add(
        reminders,
        `提醒 ${late.map((x) => `${x.day}日 ${hhmm(x.minutes)}`).join('、')} 不早于截止时间 ${d[0]!.day}日 ${hhmm(d[0]!.minutes)}：截止后的提醒没有意义，请提前`,
      );
  };
  deadlineCheck('SCHOOL_REPORT_REMINDERS', 'SCHOOL_REPORT_DEADLINE', '23 17:00');
  deadlineCheck('TOWN_REPORT_REMINDERS', 'TOWN_REPORT_DEADLINE', '25 17:00');
  if (c.SCHOOL_REPORT_DEADLINE?.length === 1 && c.TOWN_REPORT_DEADLINE?.length === 1 && at(c.TOWN_REPORT_DEADLINE[0]!) <= at(c.SCHOOL_REPORT_DEADLINE[0]!)) {
    add('TOWN_REPORT_DEADLINE', '镇汇总的截止时间须晚于学校月报的截止时间（镇要先收齐各校月报），如 25 17:00');
  }

  if (c.WEEKLY_PROMPT_AT && c.WEEKLY_REMINDER_AFTER_HOURS !== undefined && c.WEEKLY_CUTOFF_AT !== undefined) {
    if (c.WEEKLY_PROMPT_AT.minutes + c.WEEKLY_REMINDER_AFTER_HOURS * 60 >= c.WEEKLY_CUTOFF_AT) {
      add('WEEKLY_CUTOFF_AT', '须晚于 WEEKLY_PROMPT_AT 加 WEEKLY_REMINDER_AFTER_HOURS（同一天），如 20:00');
    }
  }
  if (c.OUTBOX_SEND_TIMEOUT_SECONDS !== undefined && c.OUTBOX_LEASE_SECONDS !== undefined && c.OUTBOX_SEND_TIMEOUT_SECONDS * 2 > c.OUTBOX_LEASE_SECONDS) {
    add('OUTBOX_SEND_TIMEOUT_SECONDS', '须不超过 OUTBOX_LEASE_SECONDS 的一半（否则发送还没结束租约就过期，另一进程会重发），如 30 与 300');
  }
  if (c.ABSENCE_CALL_AFTER_DAYS !== undefined && c.ABSENCE_JOINT_VISIT_AFTER_DAYS !== undefined && c.ABSENCE_SUSPECTED_AFTER_DAYS !== undefined) {
    if (!(c.ABSENCE_CALL_AFTER_DAYS <= c.ABSENCE_JOINT_VISIT_AFTER_DAYS && c.ABSENCE_JOINT_VISIT_AFTER_DAYS <= c.ABSENCE_SUSPECTED_AFTER_DAYS)) {
      add('ABSENCE_JOINT_VISIT_AFTER_DAYS', '阈值须满足 ABSENCE_CALL_AFTER_DAYS ≤ ABSENCE_JOINT_VISIT_AFTER_DAYS ≤ ABSENCE_SUSPECTED_AFTER_DAYS');
    }
  }

  const q = c.QUIET_HOURS;
  if (q) {
    const length = (q.end - q.start + 1440) % 1440;
    if (length > MAX_QUIET_MINUTES) {
      add('QUIET_HOURS', `免打扰时段长达 ${Math.round(length / 6) / 10} 小时，提醒和催报几乎发不出去；最长 ${MAX_QUIET_MINUTES / 60} 小时，如 21:00-07:00`);
    } else {
      const nudges: [keyof Config, number | undefined][] = [
        ['WEEKLY_PROMPT_AT', c.WEEKLY_PROMPT_AT?.minutes],
        ['DAILY_CUTOFF_AT', c.DAILY_CUTOFF_AT],
        ['RETURN_CHECK_AT', c.RETURN_CHECK_AT],
      ];
      for (const [name, minutes] of nudges) {
        if (minutes !== undefined && inQuiet(q, minutes))
          add(
            name,
            `${hhmm(minutes)} 落在免打扰时段 QUIET_HOURS（${hhmm(q.start)}-${hhmm(q.end)}）里，消息要等到第二天早上才发出；请改到白天，或调整 QUIET_HOURS`,
          );
      }
    }
  }
  return out;
}
