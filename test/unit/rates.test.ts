import { describe, expect, it } from 'vitest';
import { checkTargets, consolidationRate, DEFAULT_TARGETS, dropoutRate, enrolmentRate, formatRate } from '../../src/domain/rates.js';

describe('rates', () => {
  it('dropout rate over start enrolment net of transfers; transfers and suspensions are not dropouts', () => {
    expect(dropoutRate({ enrolledAtStart: 400, dropouts: 2, transferredOut: 10, transferredIn: 10, suspended: 3 })).toBeCloseTo(0.005);
    expect(dropoutRate({ enrolledAtStart: 400, dropouts: 0, transferredOut: 50, transferredIn: 0, suspended: 9 })).toBe(0);
  });
  it('zero denominators give no rate', () => {
    expect(dropoutRate({ enrolledAtStart: 0, dropouts: 0, transferredOut: 0, transferredIn: 0, suspended: 0 })).toBeUndefined();
    expect(consolidationRate(0, 0)).toBeUndefined();
    expect(enrolmentRate(1, 0)).toBeUndefined();
    expect(formatRate(undefined)).toBe('—');
  });
  it('consolidation and enrolment', () => {
    expect(consolidationRate(200, 180)).toBeCloseTo(0.9);
    expect(consolidationRate(200, 180, -10)).toBeCloseTo(180 / 190);
    expect(enrolmentRate(99, 100)).toBeCloseTo(0.99);
    expect(formatRate(0.0045)).toBe('0.45%');
  });
  it('breaches: a dropout limit is "below", so equal to the limit breaches; a minimum must be met', () => {
    expect(checkTargets({ primaryDropout: 0.004, juniorDropout: 0.017, consolidation: 0.86 }, DEFAULT_TARGETS)).toEqual([]);
    const b = checkTargets({ primaryDropout: 0.005, juniorDropout: 0.02, consolidation: 0.8, primaryEnrolment: 0.995, juniorGrossEnrolment: 0.9 }, DEFAULT_TARGETS);
    expect(b.map((x) => x.figure)).toEqual(['primaryDropout', 'juniorDropout', 'consolidation', 'juniorGrossEnrolment']);
    expect(b[0]!.text).toContain('小学辍学率 0.50%');
  });
});
