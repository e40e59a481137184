import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createSchoolCalendar } from '../../src/domain/calendar.js';
import { followUpEnd } from '../../src/services/cases.js';

describe('FOLLOW_UP_SCHOOL_DAYS', () => {
  it('defaults to 30 school days and takes a number', () => {
    expect(loadConfig({}).FOLLOW_UP_SCHOOL_DAYS).toBe(30);
    expect(loadConfig({ FOLLOW_UP_SCHOOL_DAYS: '20' }).FOLLOW_UP_SCHOOL_DAYS).toBe(20);
  });
  for (const bad of ['thirty', '0', '2.5', '500']) {
    it(`“${bad}” is refused, naming the variable`, () => {
      try {
        loadConfig({ FOLLOW_UP_SCHOOL_DAYS: bad });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).problems.some((l) => l.startsWith('FOLLOW_UP_SCHOOL_DAYS: '))).toBe(true);
      }
    });
  }
});

describe('the follow-up period', () => {
  const cal = createSchoolCalendar({ terms: [{ name: 'T', start: '2026-09-01', end: '2027-01-22' }], extraHolidays: [], extraSchoolDays: [] });
  it('ends on the n-th school day after the return, weekends and holidays skipped', () => {
    expect(followUpEnd({ calendar: cal }, '2026-11-20', 3)).toBe('2026-11-25');
    // returned Wed 30 Sep: the National Day week is not counted
    expect(followUpEnd({ calendar: cal }, '2026-09-30', 1)).toBe(cal.nextSchoolDay('2026-09-30'));
    expect(followUpEnd({ calendar: cal }, '2026-09-30', 1) > '2026-10-07').toBe(true);
  });
});
