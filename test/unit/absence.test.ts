import { describe, expect, it } from 'vitest';
import { createSchoolCalendar } from '../../src/domain/calendar.js';
import { chronicAbsence, consecutiveUnexcusedSchoolDays, DEFAULT_ABSENCE_POLICY, ladderSteps } from '../../src/domain/absence.js';
import type { AttendanceStatus } from '../../src/domain/types.js';

const term = { name: 'T', start: '2026-09-01', end: '2027-01-22' };
const cal = createSchoolCalendar({ terms: [term], extraHolidays: [], extraSchoolDays: [] });
const h = (o: Record<string, AttendanceStatus>) => new Map(Object.entries(o));

describe('consecutive unexcused school days', () => {
  it('Friday + Monday truant = 2 (the weekend does not break the streak)', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-20': 'truant', '2026-11-23': 'truant' }), cal, '2026-11-23')).toEqual({ days: 2, since: '2026-11-20' });
  });
  it('truant Thursday, present Friday, truant Monday = 1', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-19': 'truant', '2026-11-20': 'present', '2026-11-23': 'truant' }), cal, '2026-11-23').days).toBe(1);
  });
  it('a missing day is unknown: it neither breaks nor extends the streak', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-19': 'truant', '2026-11-23': 'truant' }), cal, '2026-11-23')).toEqual({ days: 2, since: '2026-11-19' });
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-16': 'truant', '2026-11-18': 'truant' }), cal, '2026-11-18')).toEqual({ days: 2, since: '2026-11-16' });
  });
  it('more than five unknown school days in a row end the streak', () => {
    // Mon 11-09 truant; 11-10..11-16 (5 school days) unknown; Tue 11-17 truant → 2
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-09': 'truant', '2026-11-17': 'truant' }), cal, '2026-11-17').days).toBe(2);
    // one more unknown day (Mon 11-09 unknown too, truant Fri 11-06) → 1
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-06': 'truant', '2026-11-17': 'truant' }), cal, '2026-11-17').days).toBe(1);
  });
  it('a streak never reaches into the previous term', () => {
    const two = createSchoolCalendar({
      terms: [
        { name: 'A', start: '2026-09-01', end: '2026-11-13' },
        { name: 'B', start: '2026-11-16', end: '2027-01-22' },
      ],
      extraHolidays: [],
      extraSchoolDays: [],
    });
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-13': 'truant', '2026-11-16': 'truant' }), two, '2026-11-16').days).toBe(1);
  });
  it('a streak across the National Day week counts 2', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-09-30': 'truant', '2026-10-08': 'truant' }), cal, '2026-10-08')).toEqual({ days: 2, since: '2026-09-30' });
  });
  it('a 调休 Saturday is part of the streak', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-10-09': 'truant', '2026-10-10': 'truant', '2026-10-12': 'truant' }), cal, '2026-10-12').days).toBe(3);
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-10-09': 'truant', '2026-10-10': 'present', '2026-10-12': 'truant' }), cal, '2026-10-12').days).toBe(1);
  });
  it('sick or personal leave breaks the streak', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-19': 'truant', '2026-11-20': 'sick', '2026-11-23': 'truant' }), cal, '2026-11-23').days).toBe(1);
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-20': 'personal' }), cal, '2026-11-20')).toEqual({ days: 0 });
  });
  it('asked on a weekend, counts back from the last school day', () => {
    expect(consecutiveUnexcusedSchoolDays(h({ '2026-11-19': 'truant', '2026-11-20': 'truant' }), cal, '2026-11-22').days).toBe(2);
  });
});

describe('the ladder', () => {
  it('default thresholds 1 / 2 / 3', () => {
    expect(ladderSteps(0, DEFAULT_ABSENCE_POLICY)).toEqual([]);
    expect(ladderSteps(1, DEFAULT_ABSENCE_POLICY)).toEqual(['call_family']);
    expect(ladderSteps(2, DEFAULT_ABSENCE_POLICY)).toEqual(['call_family', 'joint_home_visit']);
    expect(ladderSteps(5, DEFAULT_ABSENCE_POLICY)).toEqual(['call_family', 'joint_home_visit', 'suspected_dropout']);
  });
  it('thresholds are configurable', () => {
    const p = { ...DEFAULT_ABSENCE_POLICY, callAfterDays: 1, jointVisitAfterDays: 3, suspectedDropoutAfterDays: 5 };
    expect(ladderSteps(2, p)).toEqual(['call_family']);
    expect(ladderSteps(3, p)).toEqual(['call_family', 'joint_home_visit']);
  });
});

describe('chronic absence', () => {
  it('10% of the term’s school days, any reason, marks a student at risk', () => {
    const days = cal.schoolDaysBetween('2026-09-01', '2026-09-30');
    expect(days.length).toBeGreaterThan(19);
    expect(days.length).toBeLessThan(23);
    const hist = new Map<string, AttendanceStatus>([
      [days[0]!, 'sick'],
      ['2026-09-05', 'truant'],
    ]); // a Saturday: not a school day
    const low = chronicAbsence(hist, cal, term, '2026-09-30', DEFAULT_ABSENCE_POLICY);
    expect(low.schoolDays).toBe(days.length);
    expect(low.absentDays).toBe(1);
    expect(low.atRisk).toBe(false);
    const many = new Map<string, AttendanceStatus>(days.slice(0, 3).map((d) => [d, 'personal']));
    const r = chronicAbsence(many, cal, term, '2026-09-30', DEFAULT_ABSENCE_POLICY);
    expect(r.ratio).toBeCloseTo(3 / days.length);
    expect(r.atRisk).toBe(true);
  });
  it('no school days yet: not at risk', () => {
    expect(chronicAbsence(new Map(), cal, term, '2026-08-31', DEFAULT_ABSENCE_POLICY)).toMatchObject({ schoolDays: 0, atRisk: false });
  });
});
