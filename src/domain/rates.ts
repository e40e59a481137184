/**
 * The rates the county is assessed on, defined once: each rate's formula (with the text the forms print), the one
 * rounding used wherever a rate is shown (情况, forms, charts, digests), and the check against a unit's targets, made
 * on the exact value. Pure: counts in, numbers out.
 */
import type { DateStr } from './types.js';

/** The figures a county sets targets for (seed 004, plan 1, §3). */
export const RATE_KEYS = ['primaryDropout', 'juniorDropout', 'consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const;
export type RateKey = (typeof RATE_KEYS)[number];

export const RATE_LABELS: Record<RateKey, string> = {
  primaryDropout: '小学辍学率',
  juniorDropout: '初中辍学率',
  consolidation: '九年义务教育巩固率',
  primaryEnrolment: '小学适龄儿童入学率',
  juniorGrossEnrolment: '初中毛入学率',
};

/** A dropout rate is a limit (at most), the others a floor (at least). */
export const TARGET_KIND: Record<RateKey, 'max' | 'min'> = {
  primaryDropout: 'max',
  juniorDropout: 'max',
  consolidation: 'min',
  primaryEnrolment: 'min',
  juniorGrossEnrolment: 'min',
};

/**
 * The figures whose breach is 一票否决 (the unit is barred from that year's awards). Seed 004 (both plans): "the
 * enrollment rate of primary and secondary schools is not up to standard, and the dropout rate ... exceeds the
 * standard" → one-vote veto; seed 000 §二: "凡辍学率超过规定范围的，各种评优实行一票否决制". The consolidation rate is a
 * target (plan 1 §3) but no seed puts it under the veto.
 */
export const VETO_FIGURES: ReadonlySet<RateKey> = new Set<RateKey>(['primaryDropout', 'juniorDropout', 'primaryEnrolment', 'juniorGrossEnrolment']);

/** 公式 as the forms print them. */
export const RATE_DEFINITIONS: Record<RateKey | 'retention', string> = {
  primaryDropout:
    '小学辍学率 = 本学期小学净辍学人数 ÷（现在籍 + 本学期净辍学人数）。净辍学人数 = 本学期确认辍学人数 − 本学期复学人数（不小于 0）；分母即期初在籍扣除转出、休学、借读并加上转入后的人数。转学、休学、借读不计为辍学。',
  juniorDropout: '初中辍学率 = 本学期初中净辍学人数 ÷（现在籍 + 本学期净辍学人数），口径同小学辍学率。',
  consolidation:
    '九年义务教育巩固率 = 初三（九年级）现在籍人数 ÷（该届学生八年前一年级入学人数 − 本系统登记的该届转出人数 + 转入人数）。一年级入学人数按学校导入（学校, 入学年份, 一年级入学人数）；转学按该届学生现所在的初三班级统计，导入前的转学、死亡无记录，不作扣除。乡镇、全县为所辖学校合计；单独的小学、初中不计算。',
  primaryEnrolment:
    '小学适龄儿童入学率 = 居住在本辖区、在本县小学在读的学生数 ÷ 本辖区小学适龄人口（6–11 岁，由村、乡镇导入）。学籍中没有出生日期，分子含超龄在读生；在县外就读的儿童未计入分子。',
  juniorGrossEnrolment: '初中毛入学率 = 居住在本辖区、在本县初中在读的学生数 ÷ 本辖区初中适龄人口（12–14 岁，由村、乡镇导入）。',
  retention: '本学期在籍保持率 = 现在籍 ÷（期初在籍 + 转入 − 转出 − 休学 − 借读），只反映本学期，不是九年义务教育巩固率。',
};

/** How targets are compared (民法典第一千二百五十九条：以上、以下、以内包括本数). */
export const TARGET_RULE = '达标：辍学率不高于目标（以内含本数），入学率、巩固率不低于目标（以上含本数）；按未经四舍五入的精确值比较。';

/** Targets of a unit (the county's from config; a town or school may have its own). */
export interface Targets {
  primaryDropoutMax: number;
  juniorDropoutMax: number;
  consolidationMin: number;
  primaryEnrolmentMin: number;
  juniorGrossEnrolmentMin: number;
}

export const DEFAULT_TARGETS: Targets = {
  primaryDropoutMax: 0.005,
  juniorDropoutMax: 0.018,
  consolidationMin: 0.85,
  primaryEnrolmentMin: 0.99,
  juniorGrossEnrolmentMin: 0.95,
};

export const TARGET_FIELD: Record<RateKey, keyof Targets> = {
  primaryDropout: 'primaryDropoutMax',
  juniorDropout: 'juniorDropoutMax',
  consolidation: 'consolidationMin',
  primaryEnrolment: 'primaryEnrolmentMin',
  juniorGrossEnrolment: 'juniorGrossEnrolmentMin',
};

/** A unit's targets: each figure from the nearest level that set it (school → town → county). */
export function resolveTargets(county: Targets, ...overrides: (Partial<Record<RateKey, number>> | undefined)[]): Targets {
  const out = { ...county };
  for (const key of RATE_KEYS) {
    const own = overrides.find((o) => o?.[key] !== undefined)?.[key];
    if (own !== undefined) out[TARGET_FIELD[key]] = own;
  }
  return out;
}

const ratio = (num: number, den: number): number | undefined => (den > 0 ? num / den : undefined);

/** A stage's counts for a term, as the monthly form and 情况 read them. */
export interface TermCounts {
  /** Enrolled now. */
  current: number;
  /** Confirmed onto the dropout roster this term. */
  droppedTerm: number;
  /** Confirmed dropouts back at school this term. */
  returnedTerm: number;
}

/** 本学期净辍学人数: confirmed this term less returned this term, never below 0. */
export const netDropouts = (c: TermCounts): number => Math.max(0, c.droppedTerm - c.returnedTerm);

/** 辍学率 (RATE_DEFINITIONS.primaryDropout): net dropouts over those the school answers for (now on the roll + net dropouts). */
export function dropoutRate(c: TermCounts): number | undefined {
  const d = netDropouts(c);
  return ratio(d, c.current + d);
}

/** 本学期在籍保持率 (RATE_DEFINITIONS.retention): the roll now over the term-start roll net of register changes. */
export function retentionRate(atTermStart: number, current: number, netRegisterChanges: number): number | undefined {
  return ratio(current, atTermStart + netRegisterChanges);
}

export interface CohortCounts {
  /** Enrolled in 初三 (grade 9) now. */
  grade9Now: number;
  /** The cohort's 一年级 intake eight school years earlier. */
  grade1Intake: number;
  /** Register changes recorded for the cohort (pupils now in 初三 classes). */
  transferredOut: number;
  transferredIn: number;
}

/** 九年义务教育巩固率 (RATE_DEFINITIONS.consolidation). */
export function consolidationRate(c: CohortCounts): number | undefined {
  return ratio(c.grade9Now, c.grade1Intake - c.transferredOut + c.transferredIn);
}

/** 小学适龄儿童入学率 / 初中毛入学率: enrolled residents over the school-age population. */
export function enrolmentRate(enrolled: number, schoolAgePopulation: number): number | undefined {
  return ratio(enrolled, schoolAgePopulation);
}

/** The school year a date falls in, by the year it starts (autumn): 2027-03-01 → 2026. */
export function schoolYearOf(d: DateStr): number {
  const y = Number(d.slice(0, 4));
  return Number(d.slice(5, 7)) >= 8 ? y : y - 1;
}

/** The year the pupils now in 初三 entered 一年级 (eight school years before). */
export const cohortEntryYear = (schoolYear: number): number => schoolYear - 8;

/**
 * A rate in hundredths of a percent (basis points), rounded half up: the one rounding every display uses. The tiny
 * relative nudge keeps ratios like 1/8 = 0.125% (12.5 bp, stored as 12.499…) rounding up as people expect.
 */
export function rateBasisPoints(r: number): number {
  return Math.round(r * 10000 * (1 + 4 * Number.EPSILON));
}

/** A rate as people read it, with 2 decimals: 0.0048 → "0.48%". The same everywhere (情况, forms, charts, digests). */
export function formatRate(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  const bp = rateBasisPoints(r);
  const sign = bp < 0 ? '-' : '';
  const a = Math.abs(bp);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}%`;
}

/** A computed rate, or why there is none (未导入 …, 不适用 …): never a misleading number. */
export type RateResult = { value: number; num: number; den: number; note?: string } | { missing: string };

export const hasValue = (r: RateResult | undefined): r is { value: number; num: number; den: number; note?: string } => r !== undefined && 'value' in r;

export function rateResult(num: number, den: number, missing: string): RateResult {
  return den > 0 ? { value: num / den, num, den } : { missing };
}

export function formatResult(r: RateResult): string {
  return hasValue(r) ? `${formatRate(r.value)}${r.note ? `（${r.note}）` : ''}` : r.missing;
}

export type RateFigures = Partial<Record<RateKey, number>>;

export interface Breach {
  figure: RateKey;
  value: number;
  target: number;
  /** 一票否决 (VETO_FIGURES). */
  veto: boolean;
  text: string;
}

/** Whether a value breaches its target, on the exact value (TARGET_RULE). */
export function breaches(figure: RateKey, value: number, target: number): boolean {
  return TARGET_KIND[figure] === 'max' ? value > target : value < target;
}

/** Figures that breach the unit's own targets, each marked 一票否决 where the county's rules say so. */
export function checkTargets(f: RateFigures, t: Targets): Breach[] {
  const out: Breach[] = [];
  for (const figure of RATE_KEYS) {
    const value = f[figure];
    if (value === undefined) continue;
    const target = t[TARGET_FIELD[figure]];
    if (!breaches(figure, value, target)) continue;
    const veto = VETO_FIGURES.has(figure);
    const max = TARGET_KIND[figure] === 'max';
    out.push({
      figure,
      value,
      target,
      veto,
      text: `${RATE_LABELS[figure]} ${formatRate(value)}，${max ? '超过' : '低于'}目标 ${formatRate(target)}${veto ? '（一票否决）' : ''}`,
    });
  }
  return out;
}

/** "1.5%" → 0.015 (a target or rate as people write it: a percentage, with the % sign). */
export function parsePercent(raw: string): number | undefined {
  const m = /^\s*(\d{1,3}(?:\.\d{1,4})?)\s*[%％]\s*$/.exec(raw);
  if (!m) return undefined;
  const v = Number(m[1]) / 100;
  return v >= 0 && v <= 1 ? v : undefined;
}

/** A figure's name as people write it → its key: 初中辍学率, 巩固率, 小学入学率, 初中毛入学率 … */
export function parseRateKey(raw: string): RateKey | undefined {
  const t = raw.replace(/\s/g, '');
  const names: [RegExp, RateKey][] = [
    [/^小学辍学率$/, 'primaryDropout'],
    [/^初中辍学率$/, 'juniorDropout'],
    [/^(九年义务教育)?巩固率$/, 'consolidation'],
    [/^小学(适龄儿童)?入学率$/, 'primaryEnrolment'],
    [/^初中(阶段)?毛入学率$/, 'juniorGrossEnrolment'],
  ];
  return names.find(([re]) => re.test(t))?.[1];
}

/** A case event as read for the rates: confirm (onto the dropout roster) or return (back at school), with its payload's dates. */
export interface DatedCaseEvent {
  caseId: number;
  type: string;
  payload: string;
}

/**
 * This term's confirmed dropouts and returns among the events of one unit (a class, a grade), as the monthly form
 * counts them: a confirm dated within [from, to]; a return (by its returnedOn, else its date) within [from, to] of a
 * case that was confirmed.
 */
export function termDropoutCounts(
  events: readonly DatedCaseEvent[],
  from: DateStr,
  to: DateStr,
  confirmed: ReadonlySet<number>,
): { droppedTerm: number; returnedTerm: number } {
  let droppedTerm = 0;
  let returnedTerm = 0;
  for (const e of events) {
    const at = JSON.parse(e.payload) as { at: string; returnedOn?: string };
    if (e.type === 'confirm' && at.at >= from && at.at <= to) droppedTerm++;
    const on = at.returnedOn ?? at.at;
    if (e.type === 'return' && confirmed.has(e.caseId) && on >= from && on <= to) returnedTerm++;
  }
  return { droppedTerm, returnedTerm };
}
