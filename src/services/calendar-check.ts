/** Warns the county admin when a configured term reaches a year without the State Council's holiday schedule. */
import type { SchoolCalendar, TermConfig } from '../domain/calendar.js';

export function calendarWarnings(cal: SchoolCalendar, terms: readonly TermConfig[], extraHolidays: readonly string[]): string[] {
  const years = new Set<number>();
  for (const t of terms) for (let y = Number(t.start.slice(0, 4)); y <= Number(t.end.slice(0, 4)); y++) years.add(y);
  return [...years]
    .sort()
    .filter((y) => !cal.hasOfficialData(y) && !extraHolidays.some((d) => d.startsWith(`${y}-`)))
    .map(
      (y) =>
        `注意：日历数据里还没有 ${y} 年国务院公布的放假和调休安排，${y} 年的节假日会被当作上学日。请在 .env 的 EXTRA_HOLIDAYS / EXTRA_SCHOOL_DAYS 中填写，或升级 chinese-days。`,
    );
}
