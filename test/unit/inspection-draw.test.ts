/** The inspection draw: derived from the seed, committed to, and any change to draw, seed or candidates is caught. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, commitmentOf, deriveDraw, makeDraw, quarterOf, quarterRange, verifyDraw, type Candidates } from '../../src/domain/inspection-draw.js';
import { parseFinding } from '../../src/core/commands/inspection-findings.js';

const SEED = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const candidates: Candidates = {
  days: ['2026-11-25', '2026-11-24', '2026-12-01', '2026-12-02'],
  schools: [
    {
      id: 3,
      name: '丙校',
      classes: [
        { id: 31, name: '一(1)班' },
        { id: 30, name: '一(2)班' },
      ],
    },
    {
      id: 1,
      name: '甲校',
      classes: [
        { id: 11, name: '三(1)班' },
        { id: 12, name: '三(2)班' },
        { id: 13, name: '三(3)班' },
      ],
    },
    { id: 2, name: '乙校', classes: [{ id: 21, name: '初一(1)班' }] },
    { id: 4, name: '空校', classes: [] },
  ],
};
const params = { quarter: '2026Q4', schools: 2, classesPerSchool: 2 };

describe('quarters', () => {
  it('knows each quarter’s days', () => {
    expect(quarterRange('2026Q4')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(quarterRange('2027Q1')).toEqual({ start: '2027-01-01', end: '2027-03-31' });
    expect(quarterRange('2028q1')).toEqual({ start: '2028-01-01', end: '2028-03-31' });
    expect(quarterRange('2026Q5')).toBeUndefined();
    expect(quarterOf('2026-11-23')).toBe('2026Q4');
    expect(quarterOf('2027-04-01')).toBe('2027Q2');
  });
});

describe('the draw', () => {
  it('is the same for the same seed whatever order the candidates come in, and differs for another seed', () => {
    const shuffled: Candidates = {
      days: [...candidates.days].reverse(),
      schools: [...candidates.schools].reverse().map((s) => ({ ...s, classes: [...s.classes].reverse() })),
    };
    const a = makeDraw(SEED, params, candidates);
    const b = makeDraw(SEED, params, shuffled);
    expect(b.json).toBe(a.json);
    expect(b.commitment).toBe(a.commitment);
    const seeds = ['00', '11', '22', '33', '44', '55'].map((x) => x.repeat(32));
    expect(new Set(seeds.map((s) => canonicalJson(deriveDraw(s, candidates, params)))).size).toBeGreaterThan(1);
  });

  it('verifies as drawn', () => {
    const d = makeDraw(SEED, params, candidates);
    expect(verifyDraw({ quarter: '2026Q4', payloadJson: d.json, seed: SEED, commitment: d.commitment })).toEqual([]);
    expect(verifyDraw({ quarter: '2026Q4', payloadJson: d.json, seed: SEED, commitment: d.commitment, announced: d.commitment.toUpperCase() })).toEqual([]);
    expect(d.commitment).toBe(commitmentOf(d.json, SEED));
  });

  it('fails when the seed, the draw, the candidates, the quarter or the announced commitment differ', () => {
    const d = makeDraw(SEED, params, candidates);
    const base = { quarter: '2026Q4', payloadJson: d.json, seed: SEED, commitment: d.commitment };
    expect(verifyDraw({ ...base, seed: OTHER }).join()).toContain('承诺值');
    // Another seed with a matching commitment: the draw no longer follows from it.
    expect(verifyDraw({ ...base, seed: OTHER, commitment: commitmentOf(d.json, OTHER) }).join()).toContain('重新抽签');
    // The draw edited (another school) and the commitment recomputed to match: re-deriving catches it.
    const edited = { ...d.payload, draw: d.payload.draw.map((s, i) => (i === 0 ? { ...s, date: '2026-12-02' === s.date ? '2026-11-24' : '2026-12-02' } : s)) };
    const json = canonicalJson(edited);
    expect(verifyDraw({ ...base, payloadJson: json }).join()).toContain('承诺值');
    expect(verifyDraw({ ...base, payloadJson: json, commitment: commitmentOf(json, SEED) }).join()).toContain('重新抽签');
    expect(verifyDraw({ ...base, quarter: '2027Q1' }).join()).toContain('2027Q1');
    expect(verifyDraw({ ...base, announced: 'f'.repeat(64) }).join()).toContain('公布');
    expect(verifyDraw({ ...base, payloadJson: JSON.stringify(d.payload, null, 1) }).length).toBeGreaterThan(0);
  });

  it('draws distinct schools with classes, a candidate day each, and distinct classes of that school (property)', () => {
    const cand = fc.record({
      days: fc
        .uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 10 })
        .map((ds) => ds.map((d) => `2026-11-${String(d).padStart(2, '0')}`)),
      schools: fc
        .uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 50 }), n: fc.integer({ min: 0, max: 6 }) }), { selector: (s) => s.id, maxLength: 12 })
        .map((ss) =>
          ss.map((s) => ({ id: s.id, name: `校${s.id}`, classes: Array.from({ length: s.n }, (_, k) => ({ id: s.id * 100 + k, name: `${k + 1}班` })) })),
        ),
    });
    fc.assert(
      fc.property(
        cand,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 8 }),
        (c, bytes, ns, nc) => {
          const seed = Buffer.from(bytes).toString('hex');
          const p = { quarter: '2026Q4', schools: ns, classesPerSchool: nc };
          const d = makeDraw(seed, p, c);
          const withClasses = c.schools.filter((s) => s.classes.length > 0);
          expect(d.payload.draw.length).toBe(Math.min(ns, withClasses.length));
          expect(new Set(d.payload.draw.map((s) => s.schoolId)).size).toBe(d.payload.draw.length);
          for (const s of d.payload.draw) {
            const src = c.schools.find((x) => x.id === s.schoolId)!;
            expect(c.days).toContain(s.date);
            expect(s.classes.length).toBe(Math.min(nc, src.classes.length));
            expect(new Set(s.classes.map((k) => k.classId)).size).toBe(s.classes.length);
            for (const k of s.classes) expect(src.classes.map((x) => x.id)).toContain(k.classId);
          }
          expect(verifyDraw({ quarter: '2026Q4', payloadJson: d.json, seed, commitment: d.commitment })).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('抽查记录 arguments', () => {
  it('reads class, count and absent names', () => {
    expect(parseFinding('青石镇中心小学三(2)班 实到28 缺勤 张三 李四')).toEqual({ classRef: '青石镇中心小学三(2)班', present: 28, absent: ['张三', '李四'] });
    expect(parseFinding('三（2）班 实到：30')).toEqual({ classRef: '三（2）班', present: 30, absent: [] });
    expect(parseFinding('三(2)班 实到 29人 缺勤：王五、赵六，王五')).toEqual({ classRef: '三(2)班', present: 29, absent: ['王五', '赵六'] });
    expect(parseFinding('实到28')).toBeUndefined();
    expect(parseFinding('三(2)班 28人')).toBeUndefined();
  });

  it('never throws on any text, and reads back what it was given (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseFinding(s)));
    const name = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...'张王李赵明华丽强') });
    fc.assert(
      fc.property(
        fc.constantFrom('三(2)班', '青石镇中心小学一(1)班', '初二(3)班'),
        fc.integer({ min: 0, max: 9999 }),
        fc.uniqueArray(name, { maxLength: 5 }),
        (cls, n, names) => {
          const p = parseFinding(`${cls} 实到${n}${names.length ? ` 缺勤 ${names.join('、')}` : ''}`);
          expect(p).toEqual({ classRef: cls, present: n, absent: names });
        },
      ),
    );
  });
});
