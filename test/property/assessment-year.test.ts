/** 年度考核's year argument: any text is a begun school year or a Chinese reason naming the current year; never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessmentYear } from '../../src/services/assessment.js';

describe('assessmentYear', () => {
  it('any text: a number only for a four-digit year already begun (and not 20 years back), else a reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.integer({ min: 1990, max: 2040 }).map(String), fc.constantFrom('２０２６', '2026学年', ' 2026 ', '2026-2027', '二〇二六')),
        (raw) => {
          const r = assessmentYear(raw, '2026-11-20');
          if (typeof r === 'number') {
            const digits = raw.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
            expect(digits).toMatch(/^\d{4}$/);
            expect(r).toBe(Number(digits));
            expect(r >= 2006 && r <= 2026).toBe(true);
          } else {
            expect(r.error).toMatch(/[\u4e00-\u9fff]/);
            expect(r.error).toContain('2026');
          }
        },
      ),
    );
  });
});
