/**
 * The annual assessment (年度考核) as figures: one line per school, one per town and one for the county, each against
 * the unit's own targets, with the school year's inspections, 黄牌, escalations, fault records and the 一票否决 flag, and
 * the 考核结论 the rules below give. Pure: the service fills it, the .xlsx and PDF print it.
 */
import { checkTargets, formatRate, hasValue, RATE_LABELS, type Breach, type RateKey, type RateResult, type Targets } from '../domain/rates.js';

export interface AssessmentRow {
  kind: 'school' | 'town' | 'county';
  id: number;
  name: string;
  townName: string;
  /** Each figure that applies to the unit (left out: not applicable, e.g. a primary school's junior dropout rate). */
  rates: Partial<Record<RateKey, RateResult>>;
  targets: Targets;
  inspections: number;
  failures: number;
  /** A school: 1 with a 黄牌 for the school year; a town or the county: its schools with one. */
  yellowCards: number;
  /** Alerts that climbed to the town (or beyond) / to the county in the school year. */
  escalatedTown: number;
  escalatedCounty: number;
  faultRecords: number;
  breaches: Breach[];
  /** Figures under 一票否决 that could not be computed (their 未导入 text). */
  vetoMissing: string[];
  conclusion: string;
}

export interface AssessmentModel {
  title: string;
  countyName: string;
  schoolYear: number;
  /** 2026—2027学年 */
  yearLabel: string;
  from: string;
  asOf: string;
  schools: AssessmentRow[];
  /** Towns in id order, then the county's own line. */
  towns: AssessmentRow[];
  notes: string[];
}

/** 一票否决 reasons, short: "初中辍学率 2.10% 超过目标 1.80%". */
export const vetoText = (r: Pick<AssessmentRow, 'breaches'>): string =>
  r.breaches
    .filter((b) => b.veto)
    .map((b) => b.text.replace('（一票否决）', ''))
    .join('；');

export const CONCLUSION_RULE =
  '考核结论：有一票否决指标超标（辍学率高于目标、入学率低于目标）为“不合格（一票否决）”；学校本学年有黄牌为“黄牌警告”，抽查不合格达 3 次另注“追究责任”；仅巩固率未达标为“基本合格”；一票否决指标因数据未导入无法计算的为“待核定”；其余为“合格”。';

/** The 考核结论 of a unit from its breaches, its 黄牌 and its strikes (CONCLUSION_RULE). */
export function conclusionOf(r: Pick<AssessmentRow, 'kind' | 'breaches' | 'vetoMissing' | 'yellowCards' | 'failures'>): string {
  const veto = r.breaches.filter((b) => b.veto);
  const parts: string[] = [];
  if (veto.length) parts.push(`不合格（一票否决：${veto.map((b) => RATE_LABELS[b.figure]).join('、')}）`);
  if (r.kind === 'school' && r.yellowCards > 0) parts.push(`黄牌警告${r.failures >= 3 ? `（抽查不合格 ${r.failures} 次，追究责任）` : ''}`);
  if (!veto.length) {
    const other = r.breaches.filter((b) => !b.veto);
    if (r.vetoMissing.length) parts.unshift(`待核定（${r.vetoMissing.join('、')}未导入）`);
    else if (other.length) parts.unshift(`基本合格（${other.map((b) => RATE_LABELS[b.figure]).join('、')}未达标）`);
    else if (!parts.length) parts.push('合格');
  }
  return parts.join('；');
}

/** Breaches on the exact values of the figures the unit has, and the 一票否决 figures it lacks. */
export function judge(rates: AssessmentRow['rates'], targets: Targets, vetoFigures: ReadonlySet<RateKey>): Pick<AssessmentRow, 'breaches' | 'vetoMissing'> {
  const values: Partial<Record<RateKey, number>> = {};
  const vetoMissing: string[] = [];
  for (const [k, r] of Object.entries(rates) as [RateKey, RateResult][]) {
    if (hasValue(r)) values[k] = r.value;
    else if (vetoFigures.has(k)) vetoMissing.push(RATE_LABELS[k]);
  }
  return { breaches: checkTargets(values, targets), vetoMissing };
}

/** A rate cell as text: "0.48%", or why there is none; "—" where the figure does not apply. */
export function rateText(r: RateResult | undefined): string {
  if (!r) return '—';
  return hasValue(r) ? formatRate(r.value) : r.missing;
}
