import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('defaults: SQLite under data/, Asia/Shanghai, zh-CN, ladder 1/2/3', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ DATABASE_URL: 'file:./data/kongchuo.db', TIMEZONE: 'Asia/Shanghai', LOCALE: 'zh-CN', ABSENCE_JOINT_VISIT_AFTER_DAYS: 2 });
    expect(c.TERMS[0]).toEqual({ name: '2026秋季学期', start: '2026-09-01', end: '2027-01-22' });
  });
  it('.env.example lists every variable, and only those', () => {
    const text = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(configSchema.shape).sort());
    expect(() => loadConfig(Object.fromEntries(text.split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split(/=(.*)/s).slice(0, 2))))).not.toThrow();
  });
  it('a bad value gives one readable line per problem, naming the variable', () => {
    try {
      loadConfig({ TIMEZONE: 'Mars/Base', ABSENCE_CALL_AFTER_DAYS: 'zero', TERMS: '秋季:2026-09-01..2026-01-01', EXTRA_HOLIDAYS: '2026-13-45x', LOCALE: 'fr' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const lines = (e as ConfigError).problems;
      for (const name of ['TIMEZONE', 'ABSENCE_CALL_AFTER_DAYS', 'TERMS', 'EXTRA_HOLIDAYS', 'LOCALE']) {
        expect(lines.some((l) => l.startsWith(`${name}: `)), name).toBe(true);
      }
    }
  });
  it('ladder thresholds must be in order', () => {
    expect(() => loadConfig({ ABSENCE_JOINT_VISIT_AFTER_DAYS: '4', ABSENCE_SUSPECTED_AFTER_DAYS: '3' })).toThrow(/ABSENCE_JOINT_VISIT_AFTER_DAYS/);
  });
  it('empty strings count as unset', () => {
    expect(loadConfig({ TIMEZONE: '  ' }).TIMEZONE).toBe('Asia/Shanghai');
  });
});
