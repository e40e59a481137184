/** When scheduled duties fall: local dates of a window, the school day a duty moves to, the week's prompt day. */
import { addDays, isoWeek, weekday, type SchoolCalendar } from '../domain/calendar.js';
import { instantAt, localParts } from '../domain/zoned-time.js';
import type { DateStr } from '../domain/types.js';

/** Every local date from the window's first to its last (inclusive). */
export function localDates(from: Date, to: Date, timeZone: string): DateStr[] {
  const out: DateStr[] = [];
  const last = localParts(to, timeZone).date;
  for (let d = localParts(from, timeZone).date; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

export function at(date: DateStr, minutes: number, timeZone: string): Date {
  return instantAt(date, minutes, timeZone);
}

/** The end of a local date (the next midnight). */
export function endOf(date: DateStr, timeZone: string): Date {
  return instantAt(addDays(date, 1), 0, timeZone);
}

/**
 * The day a week's duty falls on: the configured weekday, or when that is not a school day the nearest school day
 * before it ('before', e.g. the Friday count) or after it ('after', e.g. a Monday digest) in the same week; none
 * when the week has no such school day (a holiday week sends nothing).
 */
export function weeklyDay(calendar: SchoolCalendar, anyDayOfWeek: DateStr, wantedWeekday: number, dir: 'before' | 'after'): DateStr | undefined {
  const monday = addDays(anyDayOfWeek, 1 - weekday(anyDayOfWeek));
  const sunday = addDays(monday, 6);
  const step = dir === 'before' ? -1 : 1;
  for (let d = addDays(monday, wantedWeekday - 1); d >= monday && d <= sunday; d = addDays(d, step)) if (calendar.isSchoolDay(d)) return d;
  return undefined;
}

/** The Mondays of the ISO weeks touching a list of dates. */
export function weeksOf(dates: DateStr[]): { week: string; monday: DateStr }[] {
  const seen = new Map<string, DateStr>();
  for (const d of dates) seen.set(isoWeek(d), addDays(d, 1 - weekday(d)));
  return [...seen].map(([week, monday]) => ({ week, monday }));
}

/** A dated duty on a day off moves to a school day (before it for reminders, after it for deadlines), at most `maxDays` away. */
export function shiftToSchoolDay(calendar: SchoolCalendar, date: DateStr, dir: -1 | 1, maxDays = 7): DateStr | undefined {
  for (let i = 0, d = date; i <= maxDays; i++, d = addDays(d, dir)) if (calendar.isSchoolDay(d)) return d;
  return undefined;
}

/** First school day after a break of at least `minDaysOff` days off, or the first school day of a term. */
export function isReturnDay(calendar: SchoolCalendar, date: DateStr, minDaysOff: number): boolean {
  if (!calendar.isSchoolDay(date)) return false;
  const term = calendar.termOf(date);
  const prev = calendar.previousSchoolDay(date);
  if (!prev || !term || prev < term.start) return true;
  const daysOff = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${prev}T00:00:00Z`)) / 86_400_000) - 1;
  return daysOff >= minDaysOff;
}
