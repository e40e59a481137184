/**
 * The weekly-count reader over generated well-formed replies: figures written with any word for each field, any
 * order and separator, Arabic, full-width or Chinese numerals, 人/名/个, label before or after the number, 实到 or
 * 缺N（reasons）, 病假/事假 apart or a bare 请假 total — each is read back exactly. The same replies with one figure
 * made approximate (四十来个, 约40, 45左右, 三四个…) are never read as a count: the bot asks for the exact figure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWeeklyCount } from '../../src/domain/weekly-count-reader.js';
import type { CountFigures } from '../../src/domain/types.js';

const RUNS = Number(process.env.READER_ROUNDTRIP_RUNS ?? 3000);

const WORDS = {
  enrolled: ['应到', '应到人数', '在册', '在籍', '总人数', '全班', '学生数', '班级人数', '学生总数', '应出勤', 'enrolled'],
  present: ['实到', '实到人数', '到校', '出勤', '到校人数', '实出勤', '已到', 'present'],
  absent: ['缺', '缺勤', '缺席', '未到', '没到'],
  leave: ['请假', '请假人数'],
  sick: ['病假', '生病'],
  personal: ['事假'],
  truant: ['旷课', '无故缺勤', '逃学', '无故缺课'],
  dropout: ['辍学', '流失'],
  returned: ['复学', '返校', '劝返'],
} as const;
type Field = keyof typeof WORDS;

const DIGIT = '零一二三四五六七八九';
/** 0…99 in Chinese as teachers write it: 十五, 三十, 四十五, 廿八, 两 for a lone 2. */
function chinese(n: number, style: number): string {
  if (n === 2 && style % 2 === 1) return '两';
  if (n < 10) return DIGIT[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 2 && style % 3 === 2) return `廿${ones ? DIGIT[ones] : ''}`;
  return `${tens === 1 ? (style % 4 === 3 ? '一' : '') : DIGIT[tens]}十${ones ? DIGIT[ones] : ''}`;
}
const wide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

interface Style {
  numerals: 'arabic' | 'wide' | 'chinese';
  numStyle: number;
  colon: string;
  unit: string;
  sep: string;
  reversed: boolean;
  word: number;
}

const style = fc.record({
  numerals: fc.constantFrom<Style['numerals']>('arabic', 'arabic', 'wide', 'chinese'),
  numStyle: fc.nat(11),
  colon: fc.constantFrom('', '', '：', ':', ' ', '为', '是', '='),
  unit: fc.constantFrom('', '', '人', '名', '个'),
  sep: fc.constantFrom(' ', '，', '、', '；', ';', ',', '\n', '　', ' / ', '。'),
  reversed: fc.boolean(),
  word: fc.nat(20),
});

function num(n: number, s: Style): string {
  return s.numerals === 'chinese' ? chinese(n, s.numStyle) : s.numerals === 'wide' ? wide(String(n)) : String(n);
}
function word(f: Field, s: Style): string {
  const list = WORDS[f];
  return list[s.word % list.length]!;
}
/** `病假1人` or, for the reasons, `1人病假` (the number first needs its 人/名/个). */
function item(f: Field, n: number, s: Style): string {
  if (s.reversed && ['sick', 'personal', 'leave', 'truant', 'dropout'].includes(f) && !['生病', '请假人数', '无故缺课'].includes(word(f, s))) {
    return `${num(n, s)}${s.unit || '人'}${word(f, s)}`;
  }
  const w = word(f, s);
  const colon = /^[a-z]/i.test(w) && s.colon === '' ? ' ' : s.colon;
  return `${w}${colon}${num(n, s)}${s.unit}`;
}

/** A well-formed reply and what it says. */
const reply = fc
  .record({
    enrolled: fc.integer({ min: 1, max: 80 }),
    split: fc.array(fc.nat(1000), { minLength: 5, maxLength: 5 }),
    absentShare: fc.double({ min: 0, max: 0.3, noNaN: true }),
    returned: fc.option(fc.nat(3), { nil: undefined }),
    form: fc.constantFrom('present', 'absent', 'absent-no-present', 'all'),
    leaveForm: fc.constantFrom('apart', 'total'),
    withDropout: fc.boolean(),
    order: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
    styles: fc.array(style, { minLength: 10, maxLength: 10 }),
    sep: fc.constantFrom(' ', '，', '、', '；', '\n', '　', ', '),
  })
  .map((g) => {
    const E = g.enrolled;
    const absent = g.form === 'all' ? 0 : Math.min(E, Math.round(E * g.absentShare));
    // split the absences over sick, personal, truant, dropout
    const parts = [0, 0, 0, 0];
    for (let i = 0; i < absent; i++) parts[g.split[i % 5]! % (g.withDropout ? 4 : 3)]!++;
    const [sick, personal, truant, dropout] = parts as [number, number, number, number];
    const expect: CountFigures = { enrolled: E, present: E - absent };
    const st = (i: number) => g.styles[i]!;
    const items: string[] = [];
    if (g.form !== 'all') {
      const reasons: string[] = [];
      if (g.leaveForm === 'apart') {
        reasons.push(item('sick', sick, st(2)), item('personal', personal, st(3)));
        Object.assign(expect, { leave: sick + personal, sick, personal });
      } else {
        reasons.push(item('leave', sick + personal, st(2)));
        expect.leave = sick + personal;
      }
      reasons.push(item('truant', truant, st(4)));
      expect.truant = truant;
      if (g.withDropout) {
        reasons.push(item('dropout', dropout, st(5)));
        expect.dropout = dropout;
      }
      if (g.form === 'present') {
        items.push(item('enrolled', E, st(0)), item('present', E - absent, st(1)), ...reasons);
      } else {
        const bracket = st(6).numStyle % 2 ? ['（', '）'] : ['(', ')'];
        const inner = reasons.join(st(7).numStyle % 2 ? ' ' : '，');
        items.push(item('enrolled', E, st(0)), `${item('absent', absent, { ...st(8), reversed: false })}${bracket[0]}${inner}${bracket[1]}`);
        if (g.form === 'absent') items.push(item('present', E - absent, st(1)));
      }
    } else {
      items.push(item('enrolled', E, st(0)), st(9).numStyle % 2 ? '全勤' : '都到了');
    }
    if (g.returned !== undefined) {
      const returned = Math.min(E, g.returned);
      items.push(item('returned', returned, st(9)));
      expect.returned = returned;
    }
    // any order, except that the bracket stays with its 缺N
    const order = items.map((t, i) => ({ t, k: g.order[i]! })).sort((a, b) => a.k - b.k);
    return { text: order.map((o) => o.t).join(g.sep), expect };
  });

/** Guesses in place of a number (the unit after it, if any, stays: 四十来人, 约40人, 三四个). */
const GUESSES: ((n: number) => string)[] = [
  (n) => `${chinese(Math.max(10, n - (n % 10)), 0)}来`,
  (n) => `${Math.max(10, n - (n % 10))}多`,
  (n) => `${chinese(Math.max(10, n - (n % 10)), 0)}多`,
  (n) => `约${n}`,
  (n) => `大约${n}`,
  (n) => `大概${n}`,
  (n) => `${n}左右`,
  (n) => `${Math.max(10, n - (n % 10))}好几`,
  (n) => `差不多${n}`,
  (n) => `将近${n}`,
  (n) => `${n}余`,
  (n) => `${chinese(Math.max(10, n - (n % 10)), 0)}几`,
  () => '三四',
  () => '一两',
  (n) => `${n}上下`,
  (n) => `估计${n}`,
  (n) => `${Math.max(10, n - (n % 10))}出头`,
];

describe('the weekly-count reader reads well-formed replies exactly', () => {
  it(`${RUNS} generated replies read back as written`, () => {
    fc.assert(
      fc.property(reply, ({ text, expect: figures }) => {
        expect(readWeeklyCount(text), text).toEqual({ outcome: 'count', figures });
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} replies with one figure approximate are never read as exact`, () => {
    fc.assert(
      fc.property(reply, fc.nat(), fc.constantFrom(...GUESSES), ({ text }, pick, guess) => {
        const numbers = [...text.matchAll(/[0-9０-９]+|[零一二两三四五六七八九十廿]+/g)];
        fc.pre(numbers.length > 0);
        const m = numbers[pick % numbers.length]!;
        const guessed = `${text.slice(0, m.index)}${guess(Math.max(12, Number(m[0]) || 40))}${text.slice(m.index + m[0].length)}`;
        const r = readWeeklyCount(guessed);
        expect(r.outcome, guessed).toBe('approximate');
        expect(r.figures).toEqual({});
        expect(r.reason).toContain('准确人数');
      }),
      { numRuns: RUNS },
    );
  });

  it('approximate words anywhere near a figure are caught, whatever else the reply says', () => {
    for (const text of [
      '应到45 实到四十来个',
      '应到三十多，实到三十多',
      '应到约40人，实到39',
      '大概45个学生，都到了',
      '全班差不多都到了',
      '基本全勤',
      '应到45人，估计来了43个',
    ]) {
      expect(readWeeklyCount(text).outcome, text).toBe('approximate');
    }
  });
});
