/**
 * The school calendar: terms and vacations from county config, weekends, the State Council's public holidays and
 * make-up working days (调休) from `chinese-days`, and county overrides. Dates are YYYY-MM-DD strings; arithmetic is
 * done in UTC on those strings so the machine's timezone never matters. No clock reads.
 */
import chineseDays from 'chinese-days';
import type { DateStr } from './types.js';

export interface TermConfig {
  name: string;
  start: DateStr;
  end: DateStr;
}

export interface CalendarConfig {
  terms: TermConfig[];
  /** County days off; override official data (e.g. next year's holidays before they ship). */
  extraHolidays: DateStr[];
  /** County make-up school days; override weekends and holidays (but not "outside a term"). */
  extraSchoolDays: DateStr[];
  vacations?: { start: DateStr; end: DateStr; name?: string }[];
}

export interface SchoolCalendar {
  isSchoolDay(d: DateStr): boolean;
  /** zh-CN reason a day is not a school day, or undefined when it is one. */
  whyNotSchoolDay(d: DateStr): string | undefined;
  previousSchoolDay(d: DateStr): DateStr | undefined;
  nextSchoolDay(d: DateStr): DateStr | undefined;
  /** School days from..to inclusive. */
  schoolDaysBetween(from: DateStr, to: DateStr): DateStr[];
  termOf(d: DateStr): TermConfig | undefined;
  /** Whether the installed holiday data has the State Council schedule for that year. */
  hasOfficialData(year: number): boolean;
}

const DAY_MS = 86_400_000;
const SEARCH_LIMIT = 120;

const toUtc = (d: DateStr): number => Date.parse(`${d}T00:00:00Z`);

export function addDays(d: DateStr, n: number): DateStr {
  return new Date(toUtc(d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(d: DateStr): number {
  const w = new Date(toUtc(d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** ISO-8601 week, e.g. 2026-W48. */
export function isoWeek(d: DateStr): string {
  const thursday = addDays(d, 4 - weekday(d));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((toUtc(thursday) - toUtc(`${year}-01-01`)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function officialHolidayName(d: DateStr): string | undefined {
  const detail = chineseDays.getDayDetail(d);
  const zh = detail.name.split(',')[1];
  return zh || undefined;
}

export function createSchoolCalendar(cfg: CalendarConfig): SchoolCalendar {
  const extraHolidays = new Set(cfg.extraHolidays);
  const extraSchoolDays = new Set(cfg.extraSchoolDays);
  const vacations = cfg.vacations ?? [];
  const yearsWithData = new Map<number, boolean>();

  const termOf = (d: DateStr) => cfg.terms.find((t) => t.start <= d && d <= t.end);

  // The answer for a date never changes for one calendar: the ladder asks it for every day of every truant's term.
  const known = new Map<DateStr, string | undefined>();
  const whyNotSchoolDay = (d: DateStr): string | undefined => {
    if (known.has(d)) return known.get(d);
    const why = decide(d);
    known.set(d, why);
    return why;
  };
  const decide = (d: DateStr): string | undefined => {
    if (!termOf(d)) return '不在学期内';
    if (extraSchoolDays.has(d)) return undefined;
    const vacation = vacations.find((v) => v.start <= d && d <= v.end);
    if (vacation) return vacation.name ?? '假期';
    if (extraHolidays.has(d)) return '县里规定的休息日';
    if (chineseDays.isWorkday(d)) return undefined;
    const holiday = officialHolidayName(d);
    return holiday ? `法定节假日（${holiday}）` : weekday(d) >= 6 ? '周末' : '法定节假日';
  };
  const isSchoolDay = (d: DateStr) => whyNotSchoolDay(d) === undefined;

  const step = (d: DateStr, dir: 1 | -1): DateStr | undefined => {
    let cur = d;
    for (let i = 0; i < SEARCH_LIMIT; i++) {
      cur = addDays(cur, dir);
      if (isSchoolDay(cur)) return cur;
    }
    return undefined;
  };

  return {
    isSchoolDay,
    whyNotSchoolDay,
    previousSchoolDay: (d) => step(d, -1),
    nextSchoolDay: (d) => step(d, 1),
    schoolDaysBetween(from, to) {
      const out: DateStr[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) if (isSchoolDay(d)) out.push(d);
      return out;
    },
    termOf,
    hasOfficialData(year) {
      if (!yearsWithData.has(year)) {
        yearsWithData.set(year, chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0);
      }
      return yearsWithData.get(year)!;
    },
  };
}
