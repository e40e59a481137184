/**
 * Rates against county targets. Inputs are counts by register status: students transferred out, suspended or
 * borrowing are never dropouts, so they are separate inputs and never enter the dropout numerator.
 */
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

export interface StageCounts {
  /** Enrolled at the start of the term (the denominator the reporting rules use). */
  enrolledAtStart: number;
  dropouts: number;
  transferredOut: number;
  transferredIn: number;
  suspended: number;
}

const ratio = (num: number, den: number): number | undefined => (den > 0 ? num / den : undefined);

/** Dropouts over the students the school was responsible for (start enrolment, net of transfers). */
export function dropoutRate(c: StageCounts): number | undefined {
  return ratio(c.dropouts, c.enrolledAtStart - c.transferredOut + c.transferredIn);
}

/** 巩固率: a cohort's current enrolment over its initial enrolment (net of transfers). */
export function consolidationRate(cohortInitial: number, cohortNow: number, netTransfers = 0): number | undefined {
  return ratio(cohortNow, cohortInitial + netTransfers);
}

/** 入学率 / 毛入学率: enrolled over the school-age population. */
export function enrolmentRate(enrolled: number, schoolAgePopulation: number): number | undefined {
  return ratio(enrolled, schoolAgePopulation);
}

export function formatRate(r: number | undefined): string {
  return r === undefined ? '—' : `${(r * 100).toFixed(2)}%`;
}

export interface RateFigures {
  primaryDropout?: number;
  juniorDropout?: number;
  consolidation?: number;
  primaryEnrolment?: number;
  juniorGrossEnrolment?: number;
}

export interface Breach {
  figure: keyof RateFigures;
  value: number;
  target: number;
  text: string;
}

/** Figures that breach their target (a unit over a limit is barred from that year's awards: 一票否决). */
export function checkTargets(f: RateFigures, t: Targets): Breach[] {
  const checks: [keyof RateFigures, number, 'max' | 'min', string][] = [
    ['primaryDropout', t.primaryDropoutMax, 'max', '小学辍学率'],
    ['juniorDropout', t.juniorDropoutMax, 'max', '初中辍学率'],
    ['consolidation', t.consolidationMin, 'min', '九年义务教育巩固率'],
    ['primaryEnrolment', t.primaryEnrolmentMin, 'min', '小学入学率'],
    ['juniorGrossEnrolment', t.juniorGrossEnrolmentMin, 'min', '初中毛入学率'],
  ];
  const out: Breach[] = [];
  for (const [figure, target, kind, label] of checks) {
    const value = f[figure];
    if (value === undefined) continue;
    const bad = kind === 'max' ? value >= target : value < target;
    if (bad) out.push({ figure, value, target, text: `${label} ${formatRate(value)}，${kind === 'max' ? '未控制在' : '未达到'} ${formatRate(target)} ${kind === 'max' ? '以内' : '以上'}` });
  }
  return out;
}
