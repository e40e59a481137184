/** Each rate's definition against hand-computed numbers, the one rounding, and targets compared on the exact value. */
import { describe, expect, it } from 'vitest';
import {
  checkTargets,
  cohortEntryYear,
  consolidationRate,
  DEFAULT_TARGETS,
  dropoutRate,
  enrolmentRate,
  formatRate,
  formatResult,
  parsePercent,
  parseRateKey,
  RATE_DEFINITIONS,
  RATE_KEYS,
  rateResult,
  resolveTargets,
  retentionRate,
  schoolYearOf,
  termDropoutCounts,
  VETO_FIGURES,
} from '../../src/domain/rates.js';
import { barChartSvg } from '../../src/reports/charts.js';

describe('dropout rate: net dropouts of the term ÷ (roll now + net dropouts)', () => {
  it('2 dropouts with 415 still on the roll: 2 ÷ 417 = 0.4796…% → 0.48%', () => {
    const r = dropoutRate({ current: 415, droppedTerm: 2, returnedTerm: 0 })!;
    expect(r).toBeCloseTo(2 / 417, 12);
    expect(formatRate(r)).toBe('0.48%');
  });
  it('returns come off; more returns than dropouts is no dropout, not a negative rate', () => {
    expect(dropoutRate({ current: 198, droppedTerm: 3, returnedTerm: 1 })).toBeCloseTo(2 / 200, 12);
    expect(dropoutRate({ current: 100, droppedTerm: 1, returnedTerm: 2 })).toBe(0);
  });
  it('an empty stage has no rate', () => {
    expect(dropoutRate({ current: 0, droppedTerm: 0, returnedTerm: 0 })).toBeUndefined();
    expect(formatRate(undefined)).toBe('—');
  });
  it('counts a term from case events as the monthly form does: confirms within the term, returns of confirmed cases', () => {
    const ev = (caseId: number, type: string, at: string, returnedOn?: string) => ({
      caseId,
      type,
      payload: JSON.stringify({ at, ...(returnedOn ? { returnedOn } : {}) }),
    });
    const events = [
      ev(1, 'confirm', '2026-08-20'),
      ev(2, 'confirm', '2026-10-01'),
      ev(3, 'confirm', '2026-11-02'),
      ev(1, 'return', '2026-11-05', '2026-11-04'),
      ev(4, 'return', '2026-11-06'),
    ];
    expect(termDropoutCounts(events, '2026-09-01', '2026-11-20', new Set([1, 2, 3]))).toEqual({ droppedTerm: 2, returnedTerm: 1 });
  });
});

describe('nine-year consolidation rate: 初三 now ÷ (一年级 intake − transfers out + transfers in)', () => {
  it('172 in 初三 of an intake of 200, 5 moved away and 3 moved in: 172 ÷ 198 = 86.87%', () => {
    const r = consolidationRate({ grade9Now: 172, grade1Intake: 200, transferredOut: 5, transferredIn: 3 })!;
    expect(r).toBeCloseTo(172 / 198, 12);
    expect(formatRate(r)).toBe('86.87%');
    expect(consolidationRate({ grade9Now: 0, grade1Intake: 0, transferredOut: 0, transferredIn: 0 })).toBeUndefined();
  });
  it('the cohort in 初三 in the 2026–27 school year entered 一年级 in autumn 2018; spring belongs to the year begun in autumn', () => {
    expect(schoolYearOf('2026-11-20')).toBe(2026);
    expect(schoolYearOf('2027-03-01')).toBe(2026);
    expect(schoolYearOf('2027-08-31')).toBe(2027);
    expect(cohortEntryYear(2026)).toBe(2018);
  });
});

describe('enrolment rates: enrolled residents ÷ school-age population', () => {
  it('990 of 1000 children aged 6–11: 99.00%, exactly the target, not a breach', () => {
    expect(enrolmentRate(990, 1000)).toBeCloseTo(0.99, 12);
    expect(checkTargets({ primaryEnrolment: enrolmentRate(990, 1000)! }, DEFAULT_TARGETS)).toEqual([]);
    expect(enrolmentRate(1, 0)).toBeUndefined();
  });
  it('missing data prints why, never a number', () => {
    expect(formatResult(rateResult(0, 0, '未导入（2026 年适龄人口）'))).toBe('未导入（2026 年适龄人口）');
    expect(formatResult(rateResult(287, 300, 'x'))).toBe('95.67%');
    expect(formatResult({ value: 1.2, num: 12, den: 10, note: '请核对' })).toBe('120.00%（请核对）');
  });
});

describe('the term retention rate (本学期在籍保持率) is not the consolidation rate', () => {
  it('roll now over the term-start roll net of register changes', () => {
    expect(retentionRate(100, 97, -1)).toBeCloseTo(97 / 99, 12);
    expect(RATE_DEFINITIONS.retention).toContain('不是九年义务教育巩固率');
    for (const k of RATE_KEYS) expect(RATE_DEFINITIONS[k]).toContain('÷');
  });
});

describe('one rounding, 2 decimals, half up', () => {
  it.each([
    [0.0048, '0.48%'],
    [0.0045, '0.45%'],
    [0.00125, '0.13%'],
    [0.004999, '0.50%'],
    [1, '100.00%'],
    [0, '0.00%'],
    [2 / 63, '3.17%'],
  ])('%s → %s', (r, text) => expect(formatRate(r)).toBe(text));
  it('the chart labels a bar of 0.48% as 0.48%, not 0.5%, and the target line with the same rounding', () => {
    const svg = barChartSvg('t', [{ label: 'A', bars: [{ name: '小学辍学率', value: 2 / 417 }] }], [{ name: `小学 ${formatRate(0.005)}`, value: 0.005 }]);
    expect(svg).toContain('>0.48%<');
    expect(svg).not.toContain('>0.5%<');
    expect(svg).toContain('小学 0.50%');
  });
});

describe('targets', () => {
  it('compared on the exact value: 0.499% is within 0.5%, 0.501% is over though both print 0.50%', () => {
    expect(checkTargets({ primaryDropout: 0.00499 }, DEFAULT_TARGETS)).toEqual([]);
    const [b] = checkTargets({ primaryDropout: 0.00501 }, DEFAULT_TARGETS);
    expect(b).toMatchObject({ figure: 'primaryDropout', veto: true });
    expect(b!.text).toBe('小学辍学率 0.50%，超过目标 0.50%（一票否决）');
    expect(checkTargets({ primaryDropout: 0.005 }, DEFAULT_TARGETS)).toEqual([]);
  });
  it('dropout and enrolment breaches are 一票否决; the consolidation rate is a target without the veto', () => {
    expect([...VETO_FIGURES].sort()).toEqual(['juniorDropout', 'juniorGrossEnrolment', 'primaryDropout', 'primaryEnrolment']);
    const b = checkTargets(
      { primaryDropout: 0.004, juniorDropout: 0.02, consolidation: 0.8, primaryEnrolment: 0.995, juniorGrossEnrolment: 0.9 },
      DEFAULT_TARGETS,
    );
    expect(b.map((x) => [x.figure, x.veto])).toEqual([
      ['juniorDropout', true],
      ['consolidation', false],
      ['juniorGrossEnrolment', true],
    ]);
    expect(b[1]!.text).toBe('九年义务教育巩固率 80.00%，低于目标 85.00%');
  });
  it('a unit takes its own target, else the nearer level’s, else the county’s', () => {
    const t = resolveTargets(DEFAULT_TARGETS, { juniorDropout: 0.01 }, { juniorDropout: 0.015, consolidation: 0.9 });
    expect(t).toEqual({ ...DEFAULT_TARGETS, juniorDropoutMax: 0.01, consolidationMin: 0.9 });
    expect(resolveTargets(DEFAULT_TARGETS, undefined, undefined)).toEqual(DEFAULT_TARGETS);
  });
  it('reads targets and figure names as people write them', () => {
    expect(parsePercent('1.5%')).toBe(0.015);
    expect(parsePercent('99％')).toBe(0.99);
    expect(parsePercent('1.5')).toBeUndefined();
    expect(parsePercent('150%')).toBeUndefined();
    expect(parseRateKey('初中辍学率')).toBe('juniorDropout');
    expect(parseRateKey('巩固率')).toBe('consolidation');
    expect(parseRateKey('小学入学率')).toBe('primaryEnrolment');
    expect(parseRateKey('初中阶段毛入学率')).toBe('juniorGrossEnrolment');
    expect(parseRateKey('辍学率')).toBeUndefined();
  });
});
