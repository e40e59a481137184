/**
 * The streak over random histories with unknown days: it matches a simple reference model (a regular expression over
 * the term's school days read backwards), and unknown days never raise a step by themselves.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSchoolCalendar, addDays } from '../../src/domain/calendar.js';
import { consecutiveUnexcusedSchoolDays, DEFAULT_ABSENCE_POLICY, followUpPolicy, ladderSteps, MAX_UNKNOWN_RUN } from '../../src/domain/absence.js';
import type { AttendanceStatus } from '../../src/domain/types.js';

const term = { name: 'T', start: '2026-09-01', end: '2027-01-22' };
const cal = createSchoolCalendar({ terms: [term], extraHolidays: [], extraSchoolDays: [] });
const SCHOOL_DAYS = cal.schoolDaysBetween(term.start, term.end);
type Cell = AttendanceStatus | undefined;
const CODE: Record<string, string> = { truant: 'T', present: 'P', sick: 'S', personal: 'L' };

/** Reference: the term's school days up to asOf, newest first, as letters ('?' unknown); the streak is the prefix (?{0,5}T)*. */
function reference(history: Map<string, AttendanceStatus>, asOf: string): { days: number; since?: string } {
  const days = SCHOOL_DAYS.filter((d) => d <= asOf).reverse();
  const letters = days.map((d) => (history.has(d) ? CODE[history.get(d)!] : '?')).join('');
  const m = new RegExp(`^(?:\\?{0,${MAX_UNKNOWN_RUN}}T)*`).exec(letters)![0];
  const count = [...m].filter((c) => c === 'T').length;
  return count === 0 ? { days: 0 } : { days: count, since: days[m.length - 1]! };
}

/** A school day as "today", and the marks of the 40 calendar days before it (weekends included: they must be ignored). */
const world = fc
  .tuple(
    fc.integer({ min: 0, max: SCHOOL_DAYS.length - 1 }),
    fc.array(fc.constantFrom<Cell>(undefined, undefined, undefined, 'truant', 'truant', 'truant', 'present', 'sick', 'personal'), {
      minLength: 40,
      maxLength: 40,
    }),
  )
  .map(([i, cells]) => {
    const asOf = SCHOOL_DAYS[i]!;
    const history = new Map<string, AttendanceStatus>();
    cells.forEach((c, k) => {
      const d = addDays(asOf, -k);
      if (c) history.set(d, c);
    });
    return { asOf, history };
  });

describe('the streak over histories with unknown days', () => {
  it('matches the reference model', () => {
    fc.assert(
      fc.property(world, ({ asOf, history }) => {
        expect(consecutiveUnexcusedSchoolDays(history, cal, asOf)).toEqual(reference(history, asOf));
      }),
      { numRuns: 500 },
    );
  });

  it('making a truant day unknown never raises a step (nor the count)', () => {
    fc.assert(
      fc.property(world, fc.nat(), ({ asOf, history }, pick) => {
        const truant = [...history].filter(([, s]) => s === 'truant').map(([d]) => d);
        fc.pre(truant.length > 0);
        const before = consecutiveUnexcusedSchoolDays(history, cal, asOf);
        const less = new Map(history);
        less.delete(truant[pick % truant.length]!);
        const after = consecutiveUnexcusedSchoolDays(less, cal, asOf);
        expect(after.days).toBeLessThanOrEqual(before.days);
        for (const policy of [DEFAULT_ABSENCE_POLICY, followUpPolicy(DEFAULT_ABSENCE_POLICY)]) {
          const was = ladderSteps(before.days, policy);
          for (const s of ladderSteps(after.days, policy)) expect(was).toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an unknown today never raises the streak, and changes nothing when yesterday is known', () => {
    fc.assert(
      fc.property(world, ({ asOf, history }) => {
        fc.pre(asOf > term.start && cal.previousSchoolDay(asOf) !== undefined);
        const h = new Map(history);
        h.delete(asOf);
        const yesterday = cal.previousSchoolDay(asOf)!;
        const today = consecutiveUnexcusedSchoolDays(h, cal, asOf).days;
        const before = consecutiveUnexcusedSchoolDays(h, cal, yesterday).days;
        // one more unknown day in the gap may end a streak (more than MAX_UNKNOWN_RUN in a row), never lengthen it
        expect(today).toBeLessThanOrEqual(before);
        if (h.has(yesterday)) expect(today).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('with every day known it is the plain count of truant days in a row', () => {
    fc.assert(
      fc.property(world, ({ asOf, history }) => {
        const days = SCHOOL_DAYS.filter((d) => d <= asOf).reverse();
        const full = new Map(history);
        for (const d of days) if (!full.has(d)) full.set(d, 'present');
        let n = 0;
        while (n < days.length && full.get(days[n]!) === 'truant') n++;
        expect(consecutiveUnexcusedSchoolDays(full, cal, asOf).days).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('never counts more truant days than were recorded', () => {
    fc.assert(
      fc.property(world, ({ asOf, history }) => {
        const truant = [...history].filter(([d, s]) => s === 'truant' && d <= asOf && cal.isSchoolDay(d)).length;
        expect(consecutiveUnexcusedSchoolDays(history, cal, asOf).days).toBeLessThanOrEqual(truant);
      }),
      { numRuns: 300 },
    );
  });
});
