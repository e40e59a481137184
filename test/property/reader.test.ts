/**
 * The weekly-count reader over generated replies (count grammar, whole chat lines, random unicode, whitespace and
 * digit runs up to the 2,000-character cap): never throws, always a known outcome, every reason a Chinese sentence,
 * figures possible, and no line slower than 50 ms. A line over the bound is timed up to four more times and its fastest time
 * counts, so a machine busy elsewhere does not fail the test, while a line that is slow by nature still does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWeeklyCount, MAX_CLASS_SIZE } from '../../src/domain/weekly-count-reader.js';
import { MAX_TEXT_CHARS } from '../../src/core/inbound-text.js';
import { CJK, countReply, line, type Roster } from './grammar.js';

const LINES = Number(process.env.READER_PROPERTY_LINES ?? 100_000);
const BUDGET_MS = 50;
const OUTCOMES = ['count', 'invalid', 'inconsistent', 'not-a-count', 'all-present', 'approximate'];
const roster: Roster = { names: ['余小龙', '邱宇航', '李晨阳'], tails: ['180001', '0002'] };

function timed(text: string): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 5 && best > BUDGET_MS; attempt++) {
    const t0 = performance.now();
    readWeeklyCount(text);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function check(text: string): number {
  const r = readWeeklyCount(text);
  expect(OUTCOMES).toContain(r.outcome);
  if (r.outcome !== 'count' && r.outcome !== 'not-a-count' && r.outcome !== 'all-present') expect(r.reason).toMatch(CJK);
  if (r.outcome === 'count') {
    expect(r.figures.enrolled).toBeDefined();
    for (const v of Object.values(r.figures)) expect(v >= 0 && v <= MAX_CLASS_SIZE && Number.isInteger(v)).toBe(true);
  }
  return timed(text);
}

describe('the weekly-count reader under generated input', () => {
  it(`${LINES} generated lines: no throw, known outcomes, Chinese reasons, each line < ${BUDGET_MS} ms`, () => {
    let slowest = 0;
    let slowestText = '';
    const capped = (s: string) => [...s].slice(0, MAX_TEXT_CHARS).join('');
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: countReply }, { weight: 1, arbitrary: line(roster) }), (raw) => {
        const text = capped(raw);
        const ms = check(text);
        if (ms > slowest) [slowest, slowestText] = [ms, text];
        expect(ms, `"${text.slice(0, 60)}…" (${text.length} chars)`).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: LINES, endOnFailure: true },
    );
    console.log(`reader: ${LINES} lines, slowest ${slowest.toFixed(2)} ms (${slowestText.length} chars: "${slowestText.slice(0, 30).replace(/\s+/g, '␠')}…")`);
  }, 240_000);

  // The shapes that froze the old reader, at the full length a message may have.
  const worst: [string, string][] = [
    ['应到 and spaces', `应到${' '.repeat(MAX_TEXT_CHARS - 2)}`],
    ['应到 人数 ： 为 and spaces', `应到 人数 ： 为${' '.repeat(MAX_TEXT_CHARS - 10)}`],
    ['labels with spaces between', '应到     '.repeat(MAX_TEXT_CHARS / 7)],
    ['a digit run', '1'.repeat(MAX_TEXT_CHARS)],
    ['a Chinese numeral run', '三'.repeat(MAX_TEXT_CHARS)],
    ['a run of ( then digits', `${'('.repeat(MAX_TEXT_CHARS / 2)}${'2'.repeat(MAX_TEXT_CHARS / 2)}`],
    ['digits then spaces', `${'3'.repeat(MAX_TEXT_CHARS / 2)}${' '.repeat(MAX_TEXT_CHARS / 2)}`],
    ['a whitespace run', ' \t\n　'.repeat(MAX_TEXT_CHARS / 4)],
    ['digits and slashes', '1/'.repeat(MAX_TEXT_CHARS / 2)],
    ['辍学 and spaces', `辍学：${' '.repeat(MAX_TEXT_CHARS - 3)}`],
  ];
  for (const [what, text] of worst) {
    it(`${what} (${text.length} characters) reads in < ${BUDGET_MS} ms`, () => {
      expect(check(text)).toBeLessThan(BUDGET_MS);
    });
  }
});
