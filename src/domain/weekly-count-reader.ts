/**
 * Reads a class teacher's reply to the weekly count prompt (班级每周一统计) into figures, as a careful clerk would:
 * labels in Chinese or English with or without colons and 人/名, any order and separators, numbers in any script,
 * chatter and emoji around them. Then checks the figures are possible and add up. Pure.
 */
import type { CountFigures, CountReading } from './types.js';
import { NUMERAL_SOURCE, parseNumber, toHalfWidth } from './numerals.js';

type Key = keyof CountFigures;
type Part = Key | 'sick' | 'personal';

/** Longest first inside each key; the alternation below is sorted by length overall. */
const LABELS: [string, Part][] = [
  ['应到人数', 'enrolled'], ['应到', 'enrolled'], ['在籍', 'enrolled'], ['在册', 'enrolled'], ['学生数', 'enrolled'],
  ['总人数', 'enrolled'], ['全班', 'enrolled'], ['enrolled', 'enrolled'], ['expected', 'enrolled'], ['total', 'enrolled'],
  ['实到人数', 'present'], ['实到', 'present'], ['到校', 'present'], ['出勤', 'present'], ['present', 'present'], ['attended', 'present'],
  ['请假', 'leave'], ['leave', 'leave'], ['病假', 'sick'], ['sick', 'sick'], ['事假', 'personal'],
  ['无故缺勤', 'truant'], ['无故缺课', 'truant'], ['旷课', 'truant'], ['逃学', 'truant'], ['truant', 'truant'], ['unexcused', 'truant'],
  ['辍学', 'dropout'], ['dropout', 'dropout'], ['dropped', 'dropout'],
  ['劝返返校', 'returned'], ['复学', 'returned'], ['劝返', 'returned'], ['返校', 'returned'], ['returned', 'returned'],
];
const LABEL_OF = new Map(LABELS.map(([w, k]) => [w.toLowerCase(), k]));
/**
 * Label, optional 人数, colon or equals, 为/是/有, then the number. Every `\\s*` is followed by a character it cannot
 * match (or by the end), so no two whitespace runs compete for the same spaces: linear in the text, whatever its length.
 */
const LABEL_RE = new RegExp(
  `(${LABELS.map(([w]) => w).sort((a, b) => b.length - a.length).join('|')})\\s*(?:人数\\s*)?(?:[:：=＝]\\s*)?(?:[为是有]\\s*)?(${NUMERAL_SOURCE})(?:\\s*[人名个])?`,
  'gi',
);
const RATIO_RE = /(?<![0-9])(-?[0-9]+)\s*[/／]\s*(-?[0-9]+)(?![0-9])/;
const ZERO_PHRASES: [RegExp, Key][] = [
  [/(无|没有|0)辍学|辍学[:：]?\s*(无|没有)/, 'dropout'],
  [/(无|没有)旷课|旷课[:：]?\s*(无|没有)/, 'truant'],
  [/(无|没有)请假|请假[:：]?\s*(无|没有)/, 'leave'],
  [/(无|没有)复学/, 'returned'],
];
const ALL_PRESENT = /全到|全勤|都到了|都到齐|全部到齐|全员到齐|无缺勤|没有缺勤|全部到校|all present/i;
/**
 * Class and grade names (三(2)班, 初二（3）班, 3班, 七年级) carry numbers that are not figures. A run of digits is tried
 * only from its first digit (the lookbehinds), so a long run costs its length once, not its length squared.
 */
const CLASS_NAMES =
  /[初高]?(?:(?<![一二三四五六七八九十\d])[一二三四五六七八九十\d]+\s*)?[（(]\s*[\d一二三四五六七八九十]+\s*[)）]\s*班?|(?<![\d一二三四五六七八九十])[\d一二三四五六七八九十]+\s*班|[一二三四五六七八九\d]\s*年级|初[一二三]/g;

const EXAMPLE = '应到45 实到43 病假1 旷课1';
/** No class is this large: a bigger figure is a typo (and would not fit the database's integers). */
export const MAX_CLASS_SIZE = 999;
const LABEL_ZH: Record<Key, string> = { enrolled: '应到', present: '实到', leave: '请假', truant: '旷课', dropout: '辍学', returned: '复学' };

const invalid = (reason: string, figures: CountFigures = {}): CountReading => ({ outcome: 'invalid', figures, reason: `${reason}请这样回复：${EXAMPLE}` });

export function readWeeklyCount(text: string): CountReading {
  const clean = toHalfWidth(text).replace(CLASS_NAMES, ' ');
  const seen = new Map<Part, number[]>();
  const add = (k: Part, v: number) => seen.set(k, [...(seen.get(k) ?? []), v]);
  for (const m of clean.matchAll(LABEL_RE)) {
    const v = parseNumber(m[2]!);
    if (v !== undefined) add(LABEL_OF.get(m[1]!.toLowerCase())!, v);
  }
  if (!seen.has('enrolled') && !seen.has('present')) {
    const r = RATIO_RE.exec(clean);
    if (r) {
      add('enrolled', Number(r[1]));
      add('present', Number(r[2]));
    }
  }
  const numbersStated = seen.size > 0;
  for (const [re, k] of ZERO_PHRASES) if (re.test(clean) && !seen.has(k)) add(k, 0);
  const allPresent = ALL_PRESENT.test(clean);
  if (!numbersStated) {
    return allPresent ? invalid('收到“全勤”，但没有写应到人数，无法记录。') : { outcome: 'not-a-count', figures: {} };
  }

  const figures: CountFigures = {};
  for (const [k, values] of seen) {
    if (values.some((v) => v < 0)) return invalid(`${labelOf(k)}人数不能是负数（${values.find((v) => v < 0)}）。`);
    const huge = values.find((v) => v > MAX_CLASS_SIZE);
    if (huge !== undefined) return invalid(`${labelOf(k)}人数${huge < 1e6 ? `（${huge}）` : ''}太大了，一个班不会超过 ${MAX_CLASS_SIZE} 人。`);
    if (new Set(values).size > 1) return invalid(`${labelOf(k)}写了两个不同的数（${values.join('、')}），不知道以哪个为准。`);
  }
  const one = (k: Part) => seen.get(k)?.[0];
  for (const k of ['enrolled', 'present', 'truant', 'dropout', 'returned'] as const) {
    const v = one(k);
    if (v !== undefined) figures[k] = v;
  }
  const sick = one('sick');
  const personal = one('personal');
  const leave = one('leave') ?? (sick !== undefined || personal !== undefined ? (sick ?? 0) + (personal ?? 0) : undefined);
  if (leave !== undefined) figures.leave = leave;
  if (allPresent && figures.present === undefined && figures.enrolled !== undefined) figures.present = figures.enrolled;
  return check(orderFigures(figures));
}

function labelOf(k: Part): string {
  return k === 'sick' ? '病假' : k === 'personal' ? '事假' : LABEL_ZH[k];
}

function orderFigures(f: CountFigures): CountFigures {
  const out: CountFigures = {};
  for (const k of Object.keys(LABEL_ZH) as Key[]) if (f[k] !== undefined) out[k] = f[k];
  return out;
}

function check(f: CountFigures): CountReading {
  const { enrolled, present } = f;
  if (enrolled === undefined) return invalid('没有写应到人数，无法核对。', f);
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
    const parts = (['leave', 'truant', 'dropout'] as const).filter((k) => f[k] !== undefined).map((k) => `${LABEL_ZH[k]}${f[k]}`).join(' + ');
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
