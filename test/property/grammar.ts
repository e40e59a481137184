/**
 * Generators for what people type into the bot: real command words, names and 学籍号 tails from the roster, leave
 * words, dates, months, numbers (huge ones too), full-width characters, emoji, long whitespace runs, random unicode.
 */
import fc from 'fast-check';
import { COMMANDS } from '../../src/core/commands/index.js';

export interface Roster {
  names: string[];
  tails: string[];
}

const HUGE = [
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740991',
  '9007199254740993',
  '99999999999999999999999',
  '1'.repeat(400),
  '0'.repeat(30) + '7',
];
const CHINESE_NUMBERS = ['四十五', '廿八', '两', '壹拾贰', '一〇二', '九'.repeat(40), '十'.repeat(30), '负三', '三千零五'];
const STATUS = ['病假', '事假', '旷课', '到校', '生病', '请假', '无故', '逃学', 'sick', 'truant', 'present'];
const DATES = [
  '今天',
  '昨天',
  '前天',
  '11-20',
  '11/19',
  '11月18日',
  '2026-11-20',
  '2026-02-30',
  '13-45',
  '2026-11-21',
  '12-28',
  '0000-01-01',
  '9999-12-31',
  '1-1',
];
const MONTHS = ['2026-11', '2026-10', '2026-08', '2025-07', '1900-01', '2026-13', '2026-00', '2026年11月', '9999-12', '2027-01', 'pdf', '表格', 'csv', 'excel'];
const VISIT = ['厌学', '贫困', '外出务工', '家庭', '愿意返校', '拒绝', '不在家', '已与父亲谈话', '其他'];
const COUNT_LABELS = [
  '应到',
  '实到',
  '应到人数',
  '实到人数',
  '病假',
  '事假',
  '请假',
  '旷课',
  '无故缺勤',
  '辍学',
  '复学',
  '劝返返校',
  'enrolled',
  'present',
  '全班',
  '在籍',
];
const EMOJI = ['😀', '👍🏻', '👨‍👩‍👧', '🙏', '📊', '🇨🇳', '\uD83D', '\uDE00', '\u200B', '\uFEFF', '\u0000'];
const SEPARATORS = [' ', '　', '，', '、', ',', ';', '\t', '\n', ':', '：', '='];

const wide = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

export const whitespace = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEPARATORS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '　', '\t', '\n', ' \t'), fc.integer({ min: 20, max: 1990 })).map(([c, n]) => c.repeat(n)) },
);

export const number = fc.oneof(
  { weight: 6, arbitrary: fc.nat(60).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...CHINESE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer({ min: -100, max: 2000 }).map((n) => wide(String(n))) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 1990 }).map((n) => '9'.repeat(n)) },
);

export const randomText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
);

/** One argument as people type them, for a roster. */
export function argument(roster: Roster): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...roster.names) },
    { weight: 2, arbitrary: fc.constantFrom(...roster.tails) },
    { weight: 3, arbitrary: fc.constantFrom(...STATUS) },
    { weight: 2, arbitrary: fc.constantFrom(...DATES) },
    { weight: 2, arbitrary: fc.constantFrom(...MONTHS) },
    { weight: 1, arbitrary: fc.constantFrom(...VISIT) },
    { weight: 3, arbitrary: number },
    { weight: 1, arbitrary: number.map((n) => `#${n}`) },
    { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
    { weight: 2, arbitrary: randomText },
  );
}

const COMMAND_WORDS = [...new Set(COMMANDS.flatMap((d) => d.words))];

/** A weekly count reply: labels and numbers in any order with chatter, emoji and whitespace around them. */
export const countReply = fc
  .array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .tuple(fc.constantFrom(...COUNT_LABELS), fc.constantFrom('', '：', ' ', '人数', '=', '为', ' 是 '), number, fc.constantFrom('', '人', '名', ' 人'))
          .map((p) => p.join('')),
      },
      { weight: 1, arbitrary: fc.constantFrom('三(2)班', '初二（3）班', '3班', '七年级', '全勤', '都到了', '无辍学', '45/44', '老师好', '谢谢🙏') },
      { weight: 2, arbitrary: whitespace },
      { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
      { weight: 1, arbitrary: randomText },
    ),
    { maxLength: 12 },
  )
  .chain((parts) => fc.boolean().map((w) => (w ? wide(parts.join('')) : parts.join(''))));

/** A whole line: a command with arguments, a count, chatter, or any unicode at all. */
export function line(roster: Roster): fc.Arbitrary<string> {
  const args = fc
    .array(
      fc.tuple(whitespace, argument(roster)).map(([w, a]) => w + a),
      { maxLength: 6 },
    )
    .map((a) => a.join(''));
  const command = fc.tuple(fc.constantFrom('', '', '', '/', '／', ' '), fc.constantFrom(...COMMAND_WORDS), args, fc.boolean()).map(([slash, w, a, wideIt]) => {
    const s = `${slash}${w}${a}`;
    return wideIt ? wide(s) : s;
  });
  return fc.oneof(
    { weight: 8, arbitrary: command },
    { weight: 3, arbitrary: countReply },
    { weight: 1, arbitrary: fc.constantFrom('确认', '是', 'yes', '收到', '好的👌', '') },
    { weight: 1, arbitrary: fc.constantFrom(...COMMAND_WORDS).map((w) => w + ' '.repeat(2100)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('应到', '缺勤 ', '收到 ', '月报表 '), fc.integer({ min: 1000, max: 1995 })).map(([w, n]) => w + ' '.repeat(n) + '45'),
    },
    { weight: 2, arbitrary: randomText },
  );
}

/** Contains a CJK ideograph: every answer is a Chinese sentence. */
export const CJK = /[\u4e00-\u9fff]/;
