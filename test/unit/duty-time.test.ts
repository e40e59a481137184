import { describe, expect, it } from 'vitest';
import { clockLabel, inWindow, instantAt, localIso, localParts } from '../../src/domain/zoned-time.js';
import { isReturnDay, localDates, shiftToSchoolDay, weeklyDay } from '../../src/duties/when.js';
import { createSchoolCalendar } from '../../src/domain/calendar.js';

const calendar = createSchoolCalendar({
  terms: [
    { name: '秋', start: '2026-09-01', end: '2027-01-22' },
    { name: '春', start: '2027-02-22', end: '2027-07-02' },
  ],
  extraHolidays: [],
  extraSchoolDays: [],
});

describe('zoned time', () => {
  it('local wall time ↔ instant in Asia/Shanghai (UTC+8) and in a DST zone', () => {
    expect(instantAt('2026-11-27', 15 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(localParts(new Date('2026-11-27T16:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-28', minutes: 30 });
    expect(instantAt('2026-07-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(instantAt('2026-12-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
  it('an instant as people read it: local ISO with the offset, the same instant', () => {
    const at = new Date('2026-11-27T16:30:05.250Z');
    expect(localIso(at, 'Asia/Shanghai')).toBe('2026-11-28T00:30:05+08:00');
    expect(localIso(new Date('2026-07-01T07:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00');
    expect(localIso(new Date('2026-07-01T07:00:00Z'), 'America/New_York')).toBe('2026-07-01T03:00:00-04:00');
    expect(new Date(localIso(at, 'Asia/Shanghai')).getTime()).toBe(at.getTime() - 250);
  });
  it('windows that cross midnight', () => {
    const quiet = { start: 21 * 60, end: 7 * 60 };
    expect([20 * 60 + 59, 21 * 60, 23 * 60, 0, 6 * 60 + 59, 7 * 60].map((m) => inWindow(m, quiet))).toEqual([false, true, true, true, true, false]);
    expect(inWindow(12 * 60, { start: 12 * 60, end: 14 * 60 })).toBe(true);
    expect(clockLabel(8 * 60 + 5)).toBe('08:05');
  });
  it('local dates of a window', () => {
    expect(localDates(new Date('2026-11-27T15:00:00Z'), new Date('2026-11-28T17:00:00Z'), 'Asia/Shanghai')).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
  });
});

describe('when duties fall', () => {
  it('the Friday count moves to the last school day before a holiday Friday; a holiday week has none', () => {
    expect(weeklyDay(calendar, '2026-11-23', 5, 'before')).toBe('2026-11-27');
    // 2026-10-01..07 National Day; 2026-10-02 (Fri) off → the week of Sep 28 counts on Wed Sep 30
    expect(weeklyDay(calendar, '2026-09-28', 5, 'before')).toBe('2026-09-30');
    // a Monday digest in a week whose Monday is off moves to the next school day
    expect(weeklyDay(calendar, '2026-10-05', 1, 'after')).toBe('2026-10-08');
    // winter vacation week: nothing
    expect(weeklyDay(calendar, '2027-02-01', 5, 'before')).toBeUndefined();
  });
  it('dated duties move off days off, within a week', () => {
    expect(shiftToSchoolDay(calendar, '2026-11-22', -1)).toBe('2026-11-20'); // Sunday → Friday
    expect(shiftToSchoolDay(calendar, '2026-11-22', 1)).toBe('2026-11-23');
    expect(shiftToSchoolDay(calendar, '2027-02-05', -1)).toBeUndefined(); // deep in the winter vacation
  });
  it('return days: first day of term, and after a break of at least N days off', () => {
    expect(isReturnDay(calendar, '2026-09-01', 3)).toBe(true);
    expect(isReturnDay(calendar, '2026-10-08', 3)).toBe(true); // after National Day
    expect(isReturnDay(calendar, '2026-11-23', 3)).toBe(false); // after a weekend
    expect(isReturnDay(calendar, '2026-11-23', 2)).toBe(true);
    expect(isReturnDay(calendar, '2026-11-22', 3)).toBe(false); // not a school day
  });
});
