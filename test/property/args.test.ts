/**
 * Declared arguments, on any text: parsing never throws; reading either succeeds, reaches the database (only after the
 * text was read), or refuses with a reason and an example; every label and synonym of the domain reads as its key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, readArgs, type ArgSpec } from '../../src/core/args.js';
import { Refusal, type Ctx } from '../../src/core/context.js';
import { COMMANDS } from '../../src/core/commands/index.js';
import { LABEL_SETS } from '../../src/domain/labels.js';
import { randomText, whitespace } from './grammar.js';

const TODAY = '2026-11-20';
const EX = '示例 命令';

/** Every declaration the commands make, plus one of each kind, optional, repeated and floating. */
const DECLARED: { id: string; spec: readonly ArgSpec[]; example: string }[] = [
  ...COMMANDS.filter((d) => d.args).map((d) => ({ id: d.id, spec: d.args!, example: d.example })),
  {
    id: 'every kind',
    example: EX,
    spec: [
      { name: 'd', kind: 'date', title: '日期', optional: true, at: 'any' },
      { name: 'q', kind: 'quarter', title: '季度', optional: true, at: 'end' },
      { name: 'n', kind: 'number', title: '编号', hash: true, min: 1, max: 50 },
      { name: 'p', kind: 'percent', title: '目标值', optional: true },
      { name: 'm', kind: 'month', title: '月份', optional: true, notFuture: true },
      { name: 'y', kind: 'year', title: '学年', optional: true },
      { name: 'no', kind: 'studentNo', title: '学籍号', optional: true },
      ...LABEL_SETS.map((set, i) => ({ name: `l${i}`, kind: 'label' as const, set, title: set.title, optional: true, repeated: { max: 3 } })),
      { name: 't', kind: 'text', title: '说明', raw: true, max: 50 },
    ],
  },
];

const SENTINEL = new Error('database reached');
/** No database: any lookup throws the sentinel, so a property can tell "read, then looked up" from a refusal. */
const ctx = {
  today: TODAY,
  chat: { kind: 'dm' },
  actor: { role: 'county' },
  deps: { calendar: { isSchoolDay: () => true, whyNotSchoolDay: () => undefined } },
  tx: new Proxy(
    {},
    {
      get: () => {
        throw SENTINEL;
      },
    },
  ),
} as unknown as Ctx;

const words = fc.constantFrom(
  '张三',
  '昨天',
  '11-20',
  '2026-13',
  '2026Q4',
  '#12',
  '1.5%',
  '2026年11月',
  '其他:外出',
  '病假',
  '巩固率',
  'pdf',
  '取消',
  'T1001',
  'G522720140315001',
  '',
  '#',
  ':',
  '：',
);
const text = fc.oneof(
  randomText,
  fc
    .array(
      fc.tuple(fc.oneof(whitespace, fc.constantFrom(' ', '，', '、')), fc.oneof(words, randomText)).map(([s, w]) => s + w),
      { maxLength: 8 },
    )
    .map((a) => a.join('')),
);

describe('declared arguments on any text', () => {
  it('parseArgs never throws, and a refusal has a reason', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DECLARED), text, (d, t) => {
        const r = parseArgs(d.spec, t, TODAY);
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('readArgs refuses only with a reason and an example (the command’s or the argument’s own)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DECLARED), text, async (d, t) => {
        try {
          await readArgs(ctx, d.spec, t, d.example);
        } catch (e) {
          if (e === SENTINEL) {
            expect(parseArgs(d.spec, t, TODAY).ok).toBe(true);
            return;
          }
          expect(e).toBeInstanceOf(Refusal);
          const r = e as Refusal;
          expect(r.reason.length).toBeGreaterThan(0);
          expect([d.example, ...d.spec.map((a) => a.example)]).toContain(r.example);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every label and synonym in the domain reads as its key, whatever spacing and case', () => {
    const all = LABEL_SETS.flatMap((set) => set.keys.flatMap((k) => [set.labels[k] ?? '', ...(set.synonyms[k] ?? [])].map((w) => ({ set, k, w }))));
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.boolean(), fc.constantFrom(' ', '，', '\t'), ({ set, k, w }, upper, sep) => {
        const spec = [{ name: 'x', kind: 'label', set, title: set.title }] as const satisfies readonly ArgSpec[];
        const r = parseArgs(spec, `${sep}${upper ? w.toUpperCase() : w}${sep}`, TODAY);
        expect(r.ok && (r.values.x as { value: string }).value).toBe(k);
      }),
      { numRuns: 2000 },
    );
  });
});
