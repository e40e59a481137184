/** A weekly count against the roll and the week's marks: refused when far from the roll, asked about otherwise. */
import { describe, expect, it } from 'vitest';
import { checkAgainstRegister, farFromRoll } from '../../src/domain/weekly-count-checks.js';

const noMarks: never[] = [];

describe('checkAgainstRegister', () => {
  it('a count matching the roll and the marks passes', () => {
    expect(checkAgainstRegister({ enrolled: 30, present: 29, truant: 1 }, 30, [{ name: '余小龙', statuses: ['truant'] }])).toEqual({
      questions: [],
      detail: [],
    });
  });

  it('应到 far from the roll is refused (45 for a class of 30), near it is asked about', () => {
    expect(checkAgainstRegister({ enrolled: 45, present: 45 }, 30, noMarks).refusal).toContain('在籍 30 人');
    expect(checkAgainstRegister({ enrolled: 30 + farFromRoll(30) + 1, present: 30 }, 30, noMarks).refusal).toBeDefined();
    const near = checkAgainstRegister({ enrolled: 31, present: 31 }, 30, noMarks);
    expect(near.refusal).toBeUndefined();
    expect(near.questions).toHaveLength(1);
  });

  it('an empty register checks nothing about the roll', () => {
    expect(checkAgainstRegister({ enrolled: 45, present: 45 }, 0, noMarks)).toEqual({ questions: [], detail: [] });
  });

  it('a marked truant against 全勤 or 旷课0 is asked about; names only in the detail', () => {
    const marked = [{ name: '余小龙', statuses: ['truant' as const] }];
    for (const f of [
      { enrolled: 30, present: 30 },
      { enrolled: 30, present: 29, leave: 1, truant: 0 },
    ]) {
      const c = checkAgainstRegister(f, 30, marked);
      expect(c.questions.join('')).toContain('1 名学生旷课');
      expect(c.questions.join('')).not.toContain('余小龙');
      expect(c.detail.join('')).toContain('余小龙');
    }
  });

  it('fewer absences than pupils marked absent this week is asked about', () => {
    const marked = [
      { name: '余小龙', statuses: ['sick' as const] },
      { name: '邱宇航', statuses: ['personal' as const, 'sick' as const] },
    ];
    expect(checkAgainstRegister({ enrolled: 30, present: 29, leave: 1 }, 30, marked).questions.join('')).toContain('2 名学生缺勤');
    expect(checkAgainstRegister({ enrolled: 30, present: 28, leave: 2 }, 30, marked).questions).toEqual([]);
  });
});
