/**
 * The one rounding of rates, over generated values: formatRate is exact half-up rounding of the true ratio to 2
 * decimals of a percent, monotonic, round-trips through parsePercent; target checks agree with the exact values; the
 * readers of user text (percentages, figure names) never throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  breaches,
  checkTargets,
  DEFAULT_TARGETS,
  formatRate,
  parsePercent,
  parseRateKey,
  RATE_KEYS,
  rateBasisPoints,
  TARGET_FIELD,
  TARGET_KIND,
} from '../../src/domain/rates.js';

/** num/den as a percentage with 2 decimals, rounded half up, in exact integer arithmetic. */
function exact(num: number, den: number): string {
  const bp = (2n * BigInt(num) * 10000n + BigInt(den)) / (2n * BigInt(den));
  return `${bp / 100n}.${String(bp % 100n).padStart(2, '0')}%`;
}

const shown = (text: string) => Number(text.replace('%', ''));
const ratioArb = fc.integer({ min: 1, max: 2_000_000 }).chain((den) => fc.tuple(fc.integer({ min: 0, max: den }), fc.constant(den)));

describe('formatRate', () => {
  it('prints num ÷ den as the exact ratio rounded half up to 2 decimals (the same text wherever it is shown)', () => {
    fc.assert(
      fc.property(ratioArb, ([num, den]) => {
        expect(formatRate(num / den)).toBe(exact(num, den));
      }),
      { numRuns: 20_000 },
    );
  });

  it('exact halves round up: 1 ÷ 800 = 0.125% → 0.13%, odd halves of a hundredth, and 0.48% stays 0.48%', () => {
    expect(formatRate(1 / 800)).toBe('0.13%');
    expect(formatRate(2 / 417)).toBe('0.48%');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), (k) => {
        expect(formatRate((2 * k + 1) / 20000)).toBe(exact(2 * k + 1, 20000));
      }),
    );
  });

  it('is monotonic: a larger rate never prints smaller', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rateBasisPoints(lo)).toBeLessThanOrEqual(rateBasisPoints(hi));
        expect(shown(formatRate(lo))).toBeLessThanOrEqual(shown(formatRate(hi)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('is within half a hundredth of a percent of the value, and parsePercent reads it back', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (r) => {
        const text = formatRate(r);
        expect(text).toMatch(/^\d{1,3}\.\d{2}%$/);
        expect(Math.abs(shown(text) / 100 - r)).toBeLessThanOrEqual(0.00005 + 1e-12);
        expect(parsePercent(text)).toBeCloseTo(rateBasisPoints(r) / 10000, 12);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('targets on the exact value', () => {
  it('a breach is exactly a value beyond its target, and never prints on the good side of it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RATE_KEYS),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (key, value, target) => {
          const t = { ...DEFAULT_TARGETS, [TARGET_FIELD[key]]: target };
          const found = checkTargets({ [key]: value }, t);
          const beyond = TARGET_KIND[key] === 'max' ? value > target : value < target;
          expect(found.length).toBe(beyond ? 1 : 0);
          expect(breaches(key, value, target)).toBe(beyond);
          if (beyond) {
            const [v, g] = [rateBasisPoints(value), rateBasisPoints(target)];
            if (TARGET_KIND[key] === 'max') expect(v).toBeGreaterThanOrEqual(g);
            else expect(v).toBeLessThanOrEqual(g);
          }
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('reading what people type', () => {
  it('parsePercent and parseRateKey never throw; a percentage read is within 0–100%', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('1.5%', '１.５％', '99％', '-1%', '1e2%', '100.0001%', ' 0.5 % ')),
        (raw) => {
          const v = parsePercent(raw);
          if (v !== undefined) expect(v >= 0 && v <= 1).toBe(true);
          const k = parseRateKey(raw);
          if (k !== undefined) expect(RATE_KEYS).toContain(k);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
