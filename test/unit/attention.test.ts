/** 重点关注: the tag, and the ATTENTION_ESCALATE rule as configured (every bad part named). */
import { describe, expect, it } from 'vitest';
import { attentionKinds, attentionTag, escalatedRoles, parseAttentionRules } from '../../src/domain/attention.js';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('attention kinds and tag', () => {
  it('reads the stored kinds in a fixed order and ignores unknown words', () => {
    expect(attentionKinds('left_behind,poor,nonsense')).toEqual(['poor', 'left_behind']);
    expect(attentionTag('left_behind')).toBe('【重点关注：留守儿童】');
    expect(attentionTag('')).toBe('');
    expect(attentionTag(null)).toBe('');
  });
});

describe('ATTENTION_ESCALATE', () => {
  it('defaults to the village cadre for left-behind children and children raised by other guardians', () => {
    const c = loadConfig({});
    expect(c.ATTENTION_ESCALATE).toEqual([
      { kind: 'left_behind', roles: ['village'] },
      { kind: 'other_guardian', roles: ['village'] },
    ]);
  });

  it('takes ids or Chinese words, roles joined by +, and off', () => {
    expect(parseAttentionRules('留守:村+校长, poor')).toEqual({
      rules: [
        { kind: 'left_behind', roles: ['village', 'principal'] },
        { kind: 'poor', roles: ['village'] },
      ],
    });
    expect(parseAttentionRules('off')).toEqual({ rules: [] });
    const r = parseAttentionRules('left_behind:town,poor');
    if (!('rules' in r)) throw new Error('expected rules');
    expect([...escalatedRoles(r.rules, 'poor,left_behind')].sort()).toEqual(['town', 'village']);
    expect(escalatedRoles(r.rules, 'behaviour').size).toBe(0);
  });

  it('names every bad part and the variable', () => {
    const r = parseAttentionRules('orphan,left_behind:mayor,poor:');
    expect('problems' in r && r.problems).toEqual([
      expect.stringContaining('“orphan”'),
      expect.stringContaining('“mayor”'),
      expect.stringContaining('冒号后没有写角色'),
    ]);
    try {
      loadConfig({ ATTENTION_ESCALATE: 'orphan' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.join('\n')).toMatch(/^ATTENTION_ESCALATE: “orphan”不是重点关注类别.*（当前值 "orphan"）$/m);
    }
  });
});
