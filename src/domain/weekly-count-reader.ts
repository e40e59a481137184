/**
 * Reads a class teacher's reply to the weekly count prompt (班级每周一统计) into figures, as a careful clerk would:
 * labels in Chinese or English (many words for each field), with or without colons and 人/名/个, any order and
 * separators, the label before or after the number (病假1人 / 1人病假), `缺N` with its reasons in brackets, numbers in
 * any script, chatter and emoji around them. An approximate figure (四十来个, 三十多, 约40, 45左右, 三四个) is never
 * taken as exact. Then checks the figures are possible and add up. Pure.
 */
import type { CountFigures, CountReading } from './types.js';
import { NUMERAL_SOURCE, isNumeralRange, parseNumber, toHalfWidth } from './numerals.js';

type Key = keyof CountFigures;
/** absent: 缺N (all absences, whatever the reason); late: 迟到 (present, so ignored); all: 全勤N (roll = present = N). */
type Part = Key | 'absent' | 'late' | 'all';

/**
 * Label words. Weak labels (single characters, 来了/到了) only count next to a strong one: alone they are chatter.
 * The alternation is sorted longest first, so 无故缺勤 wins over 缺勤 and 应出勤 over 出勤.
 */
const STRONG: [string, Part][] = [
  ['应到人数', 'enrolled'],
  ['应到', 'enrolled'],
  ['应出勤', 'enrolled'],
  ['应出席', 'enrolled'],
  ['在册学生', 'enrolled'],
  ['在籍学生', 'enrolled'],
  ['在册', 'enrolled'],
  ['在籍', 'enrolled'],
  ['学生总数', 'enrolled'],
  ['学生数', 'enrolled'],
  ['学生人数', 'enrolled'],
  ['总人数', 'enrolled'],
  ['班级人数', 'enrolled'],
  ['本班人数', 'enrolled'],
  ['全班人数', 'enrolled'],
  ['全班学生', 'enrolled'],
  ['全班', 'enrolled'],
  ['班额', 'enrolled'],
  ['总数', 'enrolled'],
  ['共有', 'enrolled'],
  ['共计', 'enrolled'],
  ['enrolled', 'enrolled'],
  ['expected', 'enrolled'],
  ['total', 'enrolled'],
  ['实到人数', 'present'],
  ['实到', 'present'],
  ['实出勤', 'present'],
  ['实际到校', 'present'],
  ['到校人数', 'present'],
  ['到校', 'present'],
  ['实际到', 'present'],
  ['实际出勤', 'present'],
  ['出勤人数', 'present'],
  ['出勤', 'present'],
  ['已到', 'present'],
  ['present', 'present'],
  ['attended', 'present'],
  ['缺勤人数', 'absent'],
  ['缺勤', 'absent'],
  ['缺席', 'absent'],
  ['缺课', 'absent'],
  ['缺了', 'absent'],
  ['缺', 'absent'],
  ['未到校', 'absent'],
  ['未到', 'absent'],
  ['没到', 'absent'],
  ['没来', 'absent'],
  ['absent', 'absent'],
  ['请假人数', 'leave'],
  ['请假', 'leave'],
  ['leave', 'leave'],
  ['病假', 'sick'],
  ['请病假', 'sick'],
  ['生病请假', 'sick'],
  ['生病', 'sick'],
  ['因病', 'sick'],
  ['sick', 'sick'],
  ['事假', 'personal'],
  ['请事假', 'personal'],
  ['因事', 'personal'],
  ['personal', 'personal'],
  ['无故缺勤', 'truant'],
  ['无故缺课', 'truant'],
  ['无故未到', 'truant'],
  ['无故缺席', 'truant'],
  ['旷课人数', 'truant'],
  ['旷课', 'truant'],
  ['逃学', 'truant'],
  ['truant', 'truant'],
  ['unexcused', 'truant'],
  ['辍学', 'dropout'],
  ['流失', 'dropout'],
  ['失学', 'dropout'],
  ['dropout', 'dropout'],
  ['dropped', 'dropout'],
  ['劝返返校', 'returned'],
  ['复学', 'returned'],
  ['劝返', 'returned'],
  ['返校', 'returned'],
  ['returned', 'returned'],
  ['迟到', 'late'],
  ['全勤', 'all'],
];
const WEAK: [string, Part][] = [
  ['来了', 'present'],
  ['到了', 'present'],
  ['实际', 'present'],
  ['病', 'sick'],
  ['事', 'personal'],
  ['旷', 'truant'],
];
const LABEL_OF = new Map([...STRONG, ...WEAK].map(([w, k]) => [w.toLowerCase(), k]));
const STRONG_WORDS = new Set(STRONG.map(([w]) => w.toLowerCase()));
const ALTERNATION = [...STRONG, ...WEAK]
  .map(([w]) => w)
  .sort((a, b) => b.length - a.length)
  .join('|');
/**
 * A number is tried only from its first digit: inside a long run of digits (or of 三三三…) a match that fails would
 * otherwise be retried from every position, each time over the rest of the run (quadratic).
 */
const NUMBER_START = '(?<![0-9零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟廿卅])';
/** Words that make the number after them a guess. */
const APPROX_BEFORE = '大约|大概|约莫|约有|约|差不多|将近|接近|近|估计|大致|可能|少说|至少|不到|超过|快';
/** What may not follow a figure: it is a time, a date, a page… (8点到校, 第45页, 3班). */
const NOT_A_FIGURE =
  '(?![0-9])(?!\\s*(?:点|号|日|月|年|岁|分钟|分|页|次|天|周|元|块|%|班(?![级额主长委干])|年级|单元|节|课时|本|张|份|道|题|篇|小时|秒|:[0-9]))';
/**
 * Label, optional 人数/总数, colon or equals, 为/是/有/共, an approximate word (captured), then the number and 人/名/个.
 * Every `\\s*` is followed by a character it cannot match (or by the end): linear in the text, whatever its length.
 */
const LABEL_RE = new RegExp(
  `(${ALTERNATION})\\s*(?:人?数\\s*)?(?:[:：=＝]\\s*)?(?:[的为是有共计]{1,3}\\s*)?((?:${APPROX_BEFORE})\\s*)?(${NUMERAL_SOURCE})${NOT_A_FIGURE}(?:\\s*[人名个位例])?`,
  'gi',
);
const REVERSED_WORDS = [...STRONG.filter(([, k]) => !['enrolled', 'present', 'late'].includes(k)).map(([w]) => w), '应到', '实到', '都到了', '全到']
  .sort((a, b) => b.length - a.length)
  .join('|');
/** Number first: 2人请假, 一个病假, 1名旷课 (the unit is required). Absence words only: "45个学生交了作业" is no roll. */
const REVERSED_RE = new RegExp(
  `((?:${APPROX_BEFORE})\\s*)?${NUMBER_START}(${NUMERAL_SOURCE})(来(?!了)|多|余|好几|几|出头|左右|上下)?\\s*[人名个位例]人?(左右|上下)?(?:学生|同学)?\\s*(?:(?:是|为|因)\\s*)?(${REVERSED_WORDS})`,
  'gi',
);
/** The same, opening a segment and written tight (…，1人病假 0人事假), for the reasons only. */
const TIGHT_REVERSED_RE = new RegExp(
  `(?<=^|[\\s，,；;。、/（(：:])((?:${APPROX_BEFORE})\\s*)?${NUMBER_START}(${NUMERAL_SOURCE})(来(?!了)|多|余|好几|几|出头|左右|上下)?[人名个位例]人?(左右|上下)?(${STRONG.filter(
    ([, k]) => ['leave', 'sick', 'personal', 'truant', 'dropout', 'returned'].includes(k),
  )
    .map(([w]) => w)
    .sort((a, b) => b.length - a.length)
    .join('|')})`,
  'gi',
);
/** 45/44: roll / present. */
const RATIO_RE = /(?<![0-9])(-?[0-9]+)\s*(?:人\s*)?[/／]\s*(-?[0-9]+)(?![0-9])/;
/** After a number: it was a guess (四十来个, 三十多, 40余人, 四十几, 43左右, 44-45). */
const APPROX_AFTER = /^\s*[人名个位例]?\s*(?:来(?!了)|多|余|几|好几|左右|上下|出头|[-~～至][0-9一二两三四五六七八九十])/;
/** The rest of a guessed figure, for quoting it back: 来个, 多人, 左右. */
const GUESS_TAIL = /^(?:来(?!了)|多|余|好几|几|左右|上下|出头)?\s*(?:[人名个位例]|学生)?(?:左右|上下)?/;
const SEPARATOR = /[，,；;。.！!？?\n\r、/]/;
/** 无旷课, 没有辍学, 旷课：无, 复学无: a zero in words. */
const zero = (words: string) => new RegExp(`(?:无|没有|零)(?:${words})|(?:${words})\\s*(?:[:：]\\s*)?(?:无|没有|零)(?![0-9])`);
const ZERO_PHRASES: [RegExp, Part][] = [
  [zero('辍学|流失'), 'dropout'],
  [zero('旷课|逃学|无故缺勤'), 'truant'],
  [zero('请假'), 'leave'],
  [zero('病假'), 'sick'],
  [zero('事假'), 'personal'],
  [zero('复学|返校|劝返'), 'returned'],
];
/** Everyone present — said as the end of a phrase (全班都到了操场 is about a place, not a count). */
const ALL_PRESENT =
  /(?:全勤|全到|都到了|都到齐|到齐了|都来了|全都到|全部到齐|全员到齐|全部到校|均已到校|无缺勤|没有缺勤|无人缺勤|缺勤[:：]?\s*(?:无|0)(?![0-9])|all present)(?=$|[^\u4e00-\u9fff]|[了啦啊哦呀呢哈的应实全本共在总学班无没])/i;
const NOT_ALL_PRESENT = /(?:没有|没|不是|未能?|并非)(?:全勤|全到|都到)/;
/** 差不多都到了, 基本全勤: nearly everyone is not a count. */
const NEARLY_ALL = /(?:差不多|基本上?|几乎|大部分|大多|大都|大概|大约|应该)(?:都|全)?(?:到了|到齐|全勤|来了|到校|全到)/;
/** A bare reason after 缺N: 缺1 事假, 未到1人（旷课）. */
const BARE_REASON: [RegExp, 'sick' | 'personal' | 'truant' | 'leave'][] = [
  [/病假|生病|因病/, 'sick'],
  [/事假|因事/, 'personal'],
  [/旷课|无故|逃学/, 'truant'],
  [/请假/, 'leave'],
];
/**
 * Class and grade names (三(2)班, 初二（3）班, 3班, 七年级) carry numbers that are not figures. A run of digits is tried
 * only from its first digit (the lookbehinds), so a long run costs its length once, not its length squared.
 */
const CLASS_NAMES =
  /[初高]?(?:(?<![一二三四五六七八九十\d])[一二三四五六七八九十\d]+\s*)?[（(]\s*[\d一二三四五六七八九十]+\s*[)）]\s*班(?![级额主长委干])|(?<![\d一二三四五六七八九十])[\d一二三四五六七八九十]+班(?![级额主长委干])|[一二三四五六七八九\d]\s*年级|初[一二三]/g;

export const EXAMPLE = '应到45 实到43 病假1 事假1';
/** No class is larger than this (the national standard is 45 in primary and 50 in junior high; 80 leaves room). */
export const MAX_CLASS_SIZE = 80;
const LABEL_ZH: Record<Key, string> = {
  enrolled: '应到',
  present: '实到',
  leave: '请假',
  sick: '病假',
  personal: '事假',
  truant: '旷课',
  dropout: '辍学',
  returned: '复学',
};
const ORDER = Object.keys(LABEL_ZH) as Key[];

const invalid = (reason: string, figures: CountFigures = {}): CountReading => ({ outcome: 'invalid', figures, reason: `${reason}请这样回复：${EXAMPLE}` });
const approximate = (what: string): CountReading => ({
  outcome: 'approximate',
  figures: {},
  reason: `“${what}”是估计的数，周统计要准确人数，请点清后再发，如：${EXAMPLE}`,
});

/** The text of the segment just before `index` (back to the previous separator), at most 8 characters. */
function segmentBefore(text: string, index: number): string {
  let i = index;
  while (i > 0 && index - i < 8 && !SEPARATOR.test(text[i - 1]!)) i--;
  return text.slice(i, index);
}
const APPROX_IN_SEGMENT = /大约|大概|约莫|差不多|将近|估计|大致|可能/;

export function readWeeklyCount(text: string): CountReading {
  const clean = toHalfWidth(text).replace(CLASS_NAMES, ' ');
  const seen = new Map<Part, number[]>();
  const add = (k: Part, v: number) => seen.set(k, [...(seen.get(k) ?? []), v]);
  let strong = false;
  let guess: string | undefined;
  let absentEnd = -1;
  const masked = clean.split('');
  const mask = (from: number, to: number) => {
    for (let i = from; i < to; i++) masked[i] = ' ';
  };
  /** Number-first items (1人病假): from `text`, masking what they take. */
  const reversed = (text: string, re: RegExp) => {
    for (const m of text.matchAll(re)) {
      const [whole, approxWord, numeral, approxTail, approxUnit, label] = m as unknown as [
        string,
        string | undefined,
        string,
        string | undefined,
        string | undefined,
        string,
      ];
      if (approxWord || approxTail || approxUnit || isNumeralRange(numeral)) guess ??= whole.trim();
      const v = parseNumber(numeral);
      if (v === undefined) continue;
      const k = label === '都到了' || label === '全到' ? 'all' : LABEL_OF.get(label.toLowerCase())!;
      add(k, v);
      if (k === 'absent') absentEnd = m.index + whole.length;
      strong = true;
      mask(m.index, m.index + whole.length);
    }
  };
  // 1人病假 0人事假: an item that opens its segment with its number keeps it (病假 does not take the 0 after it).
  reversed(clean, TIGHT_REVERSED_RE);
  const afterTight = masked.join('');
  for (const m of afterTight.matchAll(LABEL_RE)) {
    const [whole, label, approxWord, numeral] = m as unknown as [string, string, string | undefined, string];
    const k = LABEL_OF.get(label.toLowerCase())!;
    const end = m.index + whole.length;
    const after = afterTight.slice(end, end + 6);
    if (approxWord || isNumeralRange(numeral) || APPROX_AFTER.test(after) || APPROX_IN_SEGMENT.test(segmentBefore(afterTight, m.index))) {
      guess ??= afterTight.slice(m.index, end + (GUESS_TAIL.exec(after)?.[0].length ?? 0)).trim();
    }
    const v = parseNumber(numeral);
    if (v === undefined || countsSomethingElse(afterTight, m.index + whole.indexOf(numeral, label.length) + numeral.length)) continue;
    if (STRONG_WORDS.has(label.toLowerCase())) strong = true;
    add(k, v);
    if (k === 'absent') absentEnd = end;
    mask(m.index, end);
  }
  reversed(masked.join(''), REVERSED_RE);
  if (!seen.has('enrolled') && !seen.has('present')) {
    const r = RATIO_RE.exec(clean);
    if (r) {
      add('enrolled', Number(r[1]));
      add('present', Number(r[2]));
      strong = true;
    }
  }
  const allPresent = ALL_PRESENT.test(clean) && !NOT_ALL_PRESENT.test(clean);
  const nearlyAll = NEARLY_ALL.exec(clean);
  const looseGuess = unlabelledGuess(clean);
  if (!strong) {
    if (nearlyAll) return approximate(nearlyAll[0]);
    if (looseGuess) return approximate(looseGuess);
    return allPresent ? { outcome: 'all-present', figures: {} } : { outcome: 'not-a-count', figures: {} };
  }
  if (guess !== undefined) return approximate(guess);
  if (nearlyAll) return approximate(nearlyAll[0]);
  const zeroSaid = new Set<Part>();
  for (const [re, k] of ZERO_PHRASES) {
    if (re.test(clean) && !seen.has(k)) {
      add(k, 0);
      zeroSaid.add(k);
    }
  }
  seen.delete('late');

  for (const [k, values] of seen) {
    if (values.some((v) => v < 0)) return invalid(`${labelOf(k)}人数不能是负数（${values.find((v) => v < 0)}）。`);
    const huge = values.find((v) => v > MAX_CLASS_SIZE);
    if (huge !== undefined) return invalid(`${labelOf(k)}人数${huge < 1e6 ? `（${huge}）` : ''}太大了，一个班不会超过 ${MAX_CLASS_SIZE} 人。`);
    if (new Set(values).size > 1) return invalid(`${labelOf(k)}写了两个不同的数（${values.join('、')}），不知道以哪个为准。`);
  }
  const one = (k: Part) => seen.get(k)?.[0];
  const f: CountFigures = {};
  for (const k of ['enrolled', 'present', 'truant', 'dropout', 'returned'] as const) {
    const v = one(k);
    if (v !== undefined) f[k] = v;
  }
  const all = one('all');
  if (all !== undefined) {
    if (f.enrolled !== undefined && f.enrolled !== all) return invalid(`应到写了 ${f.enrolled}，全勤写了 ${all}，不知道以哪个为准。`);
    f.enrolled = all;
  }
  let sick = one('sick');
  let personal = one('personal');
  let leave = one('leave');
  const absent = one('absent');
  // 缺1 事假: one reason word with no number after 缺N gives all the absences that reason.
  if (
    absent !== undefined &&
    absent > 0 &&
    sick === undefined &&
    personal === undefined &&
    leave === undefined &&
    f.truant === undefined &&
    f.dropout === undefined
  ) {
    const after = clean.slice(absentEnd);
    const reasons = BARE_REASON.filter(([re]) => re.test(after));
    if (reasons.length === 1) {
      const k = reasons[0]![1];
      if (k === 'sick') sick = absent;
      else if (k === 'personal') personal = absent;
      else if (k === 'leave') leave = absent;
      else f.truant = absent;
    }
  }
  if (leave !== undefined) {
    if (sick !== undefined && personal !== undefined && sick + personal !== leave) {
      return invalid(`请假写了 ${leave} 人，但病假${sick} + 事假${personal} = ${sick + personal} 人，对不上。`);
    }
    if (sick !== undefined && personal === undefined) personal = leave - sick;
    if (personal !== undefined && sick === undefined) sick = leave - personal;
    if ((sick ?? 0) < 0 || (personal ?? 0) < 0) return invalid(`请假一共 ${leave} 人，病假或事假不能比这还多。`);
  } else if (sick !== undefined || personal !== undefined) {
    sick ??= 0;
    personal ??= 0;
    leave = sick + personal;
  }
  if (leave !== undefined) f.leave = leave;
  if (sick !== undefined && personal !== undefined) {
    f.sick = sick;
    f.personal = personal;
  }
  if (absent !== undefined) {
    // 无旷课 (a zero said in words) is not a breakdown of 缺N.
    const parts = (['leave', 'truant', 'dropout'] as const).filter((k) => f[k] !== undefined && !zeroSaid.has(k));
    const sum = parts.reduce((s, k) => s + f[k]!, 0);
    if (parts.length > 0 && sum !== absent) {
      const list = parts.map((k) => `${LABEL_ZH[k]}${f[k]}`).join(' + ');
      return invalid(`缺 ${absent} 人，但 ${list} = ${sum} 人，对不上。`);
    }
    if (f.enrolled !== undefined && f.present !== undefined && f.enrolled - f.present !== absent) {
      return invalid(`应到${f.enrolled} − 实到${f.present} = ${f.enrolled - f.present} 人没到，但写的是缺 ${absent} 人。`);
    }
    if (f.enrolled !== undefined && f.present === undefined) f.present = f.enrolled - absent;
    if (f.enrolled === undefined && f.present !== undefined) f.enrolled = f.present + absent;
  }
  if (allPresent && f.present === undefined && f.enrolled !== undefined) f.present = f.enrolled;
  if (f.enrolled !== undefined && f.enrolled > MAX_CLASS_SIZE) return invalid(`应到人数（${f.enrolled}）太大了，一个班不会超过 ${MAX_CLASS_SIZE} 人。`);
  return check(orderFigures(f));
}

/** An approximate number of people with no label at all (三十多个学生, 大概45个学生): a guessed roll, not chatter. */
function unlabelledGuess(clean: string): string | undefined {
  const re = new RegExp(`((?:${APPROX_BEFORE})\\s*)?${NUMBER_START}(${NUMERAL_SOURCE})`, 'g');
  for (const m of clean.matchAll(re)) {
    const after = clean.slice(m.index + m[0].length, m.index + m[0].length + 6);
    const guessed = m[1] !== undefined || isNumeralRange(m[2]!) || /^(?:来(?!了)|多|余|几|左右|上下|出头)/.test(after);
    const tail = /^(?:来|多|余|几|左右|上下|出头)?\s*(?:[人名个位例]|学生)/.exec(after);
    if (guessed && tail) return `${m[0]}${tail[0]}`.trim();
  }
  return undefined;
}

/** Characters that may follow 个/名/位 in a count: pupils (学生, 同学, 人), the next label, 都/全/均…. */
const AFTER_UNIT = new Set([...'学同人生都全均已共其未没来到今无左上多余出']);
const LABEL_AHEAD = new RegExp(`^(?:${ALTERNATION})`, 'i');

/** 缺2个老师, 共有3个问题: a number of something other than pupils (a CJK noun right after 个/名/位, not a label). */
function countsSomethingElse(text: string, numberEnd: number): boolean {
  const m = /^\s*[个名位]\s*(?=[\u4e00-\u9fff])/.exec(text.slice(numberEnd, numberEnd + 8));
  if (m === null) return false;
  const rest = text.slice(numberEnd + m[0].length, numberEnd + m[0].length + 8);
  return !AFTER_UNIT.has(rest[0]!) && !LABEL_AHEAD.test(rest);
}

function labelOf(k: Part): string {
  return k === 'absent' ? '缺勤' : k === 'late' ? '迟到' : k === 'all' ? '全勤' : LABEL_ZH[k];
}

function orderFigures(f: CountFigures): CountFigures {
  const out: CountFigures = {};
  for (const k of ORDER) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

function check(f: CountFigures): CountReading {
  const { enrolled, present } = f;
  if (enrolled === undefined) return invalid('没有写应到人数，无法核对。', f);
  if (enrolled === 0) return invalid('应到人数不能是 0。', f);
  if (present !== undefined && present > enrolled) return invalid(`实到人数（${present}）不能多于应到人数（${enrolled}）。`, f);
  for (const k of ['leave', 'truant', 'dropout', 'returned'] as const) {
    const v = f[k];
    if (v !== undefined && v > enrolled) return invalid(`${LABEL_ZH[k]}人数（${v}）不能多于应到人数（${enrolled}）。`, f);
  }
  const absences = (f.leave ?? 0) + (f.truant ?? 0) + (f.dropout ?? 0);
  if (absences > enrolled) return invalid(`请假、旷课、辍学合计 ${absences} 人，多于应到人数（${enrolled}）。`, f);
  if (present === undefined) return { outcome: 'count', figures: f };
  const itemised = f.leave !== undefined || f.truant !== undefined || f.dropout !== undefined;
  const gap = enrolled - present;
  if (itemised && gap !== absences) {
    const parts = (['leave', 'truant', 'dropout'] as const)
      .filter((k) => f[k] !== undefined)
      .map((k) => `${LABEL_ZH[k]}${f[k]}`)
      .join(' + ');
    return {
      outcome: 'inconsistent',
      figures: f,
      reason: `数字对不上：应到${enrolled} − 实到${present} = ${gap} 人没到，但 ${parts} = ${absences} 人。数字没错请回复「确认」；有误请重新发送，如：${EXAMPLE}`,
    };
  }
  // A full breakdown (leave and dropout stated) that accounts for every absent student says no one truanted.
  if (itemised && f.truant === undefined && f.leave !== undefined && f.dropout !== undefined) f.truant = 0;
  return { outcome: 'count', figures: orderFigures(f) };
}
