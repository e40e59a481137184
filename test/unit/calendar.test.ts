import { describe, expect, it } from 'vitest';
import { addDays, createSchoolCalendar, isoWeek, weekday } from '../../src/domain/calendar.js';

const term = { name: '2026秋季学期', start: '2026-09-01', end: '2027-01-22' };
const cal = createSchoolCalendar({ terms: [term], extraHolidays: [], extraSchoolDays: [] });

describe('school calendar', () => {
  it('an official make-up Saturday (调休, 2026-10-10) is a school day', () => {
    expect(weekday('2026-10-10')).toBe(6);
    expect(cal.isSchoolDay('2026-10-10')).toBe(true);
  });
  it('the National Day week is not', () => {
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1)) {
      expect(cal.isSchoolDay(d), d).toBe(false);
      expect(cal.whyNotSchoolDay(d)).toContain('国庆节');
    }
  });
  it('an ordinary weekend is not; a weekday in term is', () => {
    expect(cal.isSchoolDay('2026-11-21')).toBe(false);
    expect(cal.whyNotSchoolDay('2026-11-22')).toBe('周末');
    expect(cal.isSchoolDay('2026-11-20')).toBe(true);
  });
  it('days outside a term are not school days', () => {
    expect(cal.whyNotSchoolDay('2026-08-31')).toBe('不在学期内');
    expect(cal.isSchoolDay('2027-01-25')).toBe(false);
  });
  it('county overrides: extra holidays and extra school days win over official data', () => {
    const c = createSchoolCalendar({ terms: [term], extraHolidays: ['2026-11-20'], extraSchoolDays: ['2026-11-21', '2026-10-05'] });
    expect(c.isSchoolDay('2026-11-20')).toBe(false);
    expect(c.whyNotSchoolDay('2026-11-20')).toContain('县里');
    expect(c.isSchoolDay('2026-11-21')).toBe(true);
    expect(c.isSchoolDay('2026-10-05')).toBe(true);
  });
  it('an extra school day outside a term is still not a school day', () => {
    const c = createSchoolCalendar({ terms: [term], extraHolidays: [], extraSchoolDays: ['2026-08-29'] });
    expect(c.isSchoolDay('2026-08-29')).toBe(false);
  });
  it('a vacation inside a term', () => {
    const c = createSchoolCalendar({
      terms: [term],
      extraHolidays: [],
      extraSchoolDays: [],
      vacations: [{ name: '农忙假', start: '2026-11-16', end: '2026-11-18' }],
    });
    expect(c.isSchoolDay('2026-11-17')).toBe(false);
    expect(c.whyNotSchoolDay('2026-11-17')).toBe('农忙假');
    expect(c.isSchoolDay('2026-11-19')).toBe(true);
  });
  it('previous and next school day skip weekends and holidays', () => {
    expect(cal.previousSchoolDay('2026-11-23')).toBe('2026-11-20');
    expect(cal.nextSchoolDay('2026-11-20')).toBe('2026-11-23');
    expect(cal.nextSchoolDay('2026-09-30')).toBe('2026-10-08');
    expect(cal.previousSchoolDay('2026-10-12')).toBe('2026-10-10');
    expect(cal.previousSchoolDay('2026-09-01')).toBeUndefined();
  });
  it('lists school days in a range', () => {
    expect(cal.schoolDaysBetween('2026-11-16', '2026-11-22')).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(cal.schoolDaysBetween('2026-10-01', '2026-10-11')).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
  });
  it('knows which years have official holiday data (2026 yes, 2027 not in chinese-days 1.5.7)', () => {
    expect(cal.hasOfficialData(2026)).toBe(true);
    expect(cal.hasOfficialData(2027)).toBe(false);
  });
  it('date helpers', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoWeek('2026-11-20')).toBe('2026-W47');
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
    expect(cal.termOf('2026-11-20')?.name).toBe('2026秋季学期');
  });
});

describe('missing official data', () => {
  it('warns for a term reaching 2027 until the county fills in its holidays', async () => {
    const { calendarWarnings } = await import('../../src/services/calendar-check.js');
    expect(calendarWarnings(cal, [term], [])).toHaveLength(1);
    expect(calendarWarnings(cal, [term], [])[0]).toContain('2027');
    expect(calendarWarnings(cal, [term], ['2027-01-01'])).toEqual([]);
    expect(calendarWarnings(cal, [{ name: 'x', start: '2026-02-01', end: '2026-07-01' }], [])).toEqual([]);
  });
});
