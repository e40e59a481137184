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
    expect(() =>
      loadConfig(
        Object.fromEntries(
          text
            .split('\n')
            .filter((l) => /^[A-Z]/.test(l))
            .map((l) => l.split(/=(.*)/s).slice(0, 2)),
        ),
      ),
    ).not.toThrow();
  });
  it('a bad value gives one readable line per problem, naming the variable', () => {
    try {
      loadConfig({ TIMEZONE: 'Mars/Base', ABSENCE_CALL_AFTER_DAYS: 'zero', TERMS: '秋季:2026-09-01..2026-01-01', EXTRA_HOLIDAYS: '2026-13-45x', LOCALE: 'fr' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const lines = (e as ConfigError).problems;
      for (const name of ['TIMEZONE', 'ABSENCE_CALL_AFTER_DAYS', 'TERMS', 'EXTRA_HOLIDAYS', 'LOCALE']) {
        expect(
          lines.some((l) => l.startsWith(`${name}: `)),
          name,
        ).toBe(true);
      }
    }
  });
  it('ladder thresholds must be in order', () => {
    expect(() => loadConfig({ ABSENCE_JOINT_VISIT_AFTER_DAYS: '4', ABSENCE_SUSPECTED_AFTER_DAYS: '3' })).toThrow(/ABSENCE_JOINT_VISIT_AFTER_DAYS/);
  });
  it('empty strings count as unset', () => {
    expect(loadConfig({ TIMEZONE: '  ' }).TIMEZONE).toBe('Asia/Shanghai');
  });
  it('names every bad variable at once, field errors and contradictions together', () => {
    try {
      loadConfig({
        DATABASE_URL: 'file:',
        TERMS: ';',
        EXTRA_HOLIDAYS: '2026-02-30',
        VACATIONS: '寒假:2027-01-23..2027-02-30',
        SCHOOL_REPORT_REMINDERS: '20 09:00,24 09:00',
        QUIET_HOURS: '00:00-23:59',
        TIMEZONE: 'Mars/Base',
      });
      expect.unreachable();
    } catch (e) {
      const lines = (e as ConfigError).problems;
      for (const name of ['DATABASE_URL', 'TERMS', 'EXTRA_HOLIDAYS', 'VACATIONS', 'SCHOOL_REPORT_REMINDERS', 'QUIET_HOURS', 'TIMEZONE']) {
        expect(
          lines.some((l) => l.startsWith(`${name}: `)),
          `${name} in ${lines.join(' | ')}`,
        ).toBe(true);
      }
    }
  });
  it('refuses impossible dates, overlapping terms and a day that is both holiday and school day', () => {
    expect(() => loadConfig({ EXTRA_SCHOOL_DAYS: '2026-02-29' })).toThrow(/EXTRA_SCHOOL_DAYS/);
    expect(() => loadConfig({ TERMS: '秋:2026-09-01..2026-11-31' })).toThrow(/TERMS/);
    expect(() => loadConfig({ TERMS: '秋:2026-09-01..2027-01-22;春:2027-01-10..2027-07-02' })).toThrow(/重叠/);
    expect(() => loadConfig({ EXTRA_HOLIDAYS: '2026-10-10', EXTRA_SCHOOL_DAYS: '2026-10-10' })).toThrow(/EXTRA_SCHOOL_DAYS/);
    expect(loadConfig({ EXTRA_SCHOOL_DAYS: '2028-02-29' }).EXTRA_SCHOOL_DAYS).toEqual(['2028-02-29']);
  });
  it('refuses a schedule that contradicts itself', () => {
    expect(() => loadConfig({ SCHOOL_REPORT_REMINDERS: '23 18:00', SCHOOL_REPORT_DEADLINE: '23 17:00' })).toThrow(/SCHOOL_REPORT_REMINDERS/);
    expect(() => loadConfig({ TOWN_REPORT_DEADLINE: '22 17:00', TOWN_REPORT_REMINDERS: '21 09:00' })).toThrow(/TOWN_REPORT_DEADLINE/);
    expect(() => loadConfig({ QUIET_HOURS: '12:00-11:00' })).toThrow(/QUIET_HOURS/);
    expect(() => loadConfig({ QUIET_HOURS: '16:00-23:00' })).toThrow(/DAILY_CUTOFF_AT/);
    expect(loadConfig({ QUIET_HOURS: 'off' }).QUIET_HOURS).toBeNull();
  });
  it('WeCom: its own variables are part of the schema, all five of the app or none', () => {
    const app = {
      WECOM_CORP_ID: 'ww1234567890abcdef',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 'S'.repeat(43),
      WECOM_TOKEN: 'Tok3n',
      WECOM_ENCODING_AES_KEY: 'k'.repeat(43),
    };
    expect(loadConfig(app)).toMatchObject({ WECOM_AGENT_ID: 1000002, WECOM_CALLBACK_PATH: '/wecom/callback', WECOM_API_BASE: 'https://qyapi.weixin.qq.com' });
    try {
      loadConfig({ WECOM_CORP_ID: 'ww1234567890abcdef', WECOM_TOKEN: 'Tok3n', WECOM_ENCODING_AES_KEY: 'short' });
      expect.unreachable();
    } catch (e) {
      const lines = (e as ConfigError).problems;
      expect(
        lines
          .filter((l) => l.startsWith('WECOM_'))
          .map((l) => l.split(':')[0])
          .sort(),
      ).toEqual(['WECOM_AGENT_ID', 'WECOM_ENCODING_AES_KEY', 'WECOM_SECRET']);
    }
    const robots = loadConfig({
      WECOM_GROUP_ROBOT_WEBHOOKS: '三(2)班=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7abc; 一(1)班 = 0ec2-5aaa-key1',
    }).WECOM_GROUP_ROBOT_WEBHOOKS;
    expect(robots).toEqual({ '三(2)班': '693a91f6-7abc', '一(1)班': '0ec2-5aaa-key1' });
    expect(() => loadConfig({ WECOM_GROUP_ROBOT_WEBHOOKS: '三(2)班' })).toThrow(/WECOM_GROUP_ROBOT_WEBHOOKS/);
  });
  it('takes a SQLite file or a PostgreSQL URL and refuses other databases, showing both forms', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot:pw@127.0.0.1:5432/kongchuo' }).DATABASE_URL).toBe('postgresql://bot:pw@127.0.0.1:5432/kongchuo');
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/kongchuo' }).DATABASE_URL).toBe('postgres://127.0.0.1/kongchuo');
    expect(loadConfig({ DATABASE_URL: 'file:/srv/bot/kc.db' }).DATABASE_URL).toBe('file:/srv/bot/kc.db');
    for (const url of ['mysql://root@127.0.0.1/kc', './data/kongchuo.db', 'postgresql://']) {
      try {
        loadConfig({ DATABASE_URL: url });
        expect.unreachable(url);
      } catch (e) {
        const [problem] = (e as ConfigError).problems;
        expect(problem).toMatch(/^DATABASE_URL: 支持 SQLite 文件或 PostgreSQL 数据库/);
        expect(problem).toContain('file:./data/kongchuo.db');
        expect(problem).toContain('postgresql://');
      }
    }
  });
  it('refuses a temporary database and reads the health port', () => {
    expect(() => loadConfig({ DATABASE_URL: 'file::memory:' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({}).HEALTH_PORT).toBe(9464);
    expect(loadConfig({ HEALTH_PORT: 'off' }).HEALTH_PORT).toBeNull();
    expect(() => loadConfig({ HEALTH_PORT: '70000' })).toThrow(/HEALTH_PORT/);
  });
  it('DingTalk: its own variables are part of the schema, checked and defaulted like the rest', () => {
    const c = loadConfig({ DINGTALK_CLIENT_ID: 'dingabcdefgh12345678', DINGTALK_CLIENT_SECRET: 'secret-0123456789abcdef' });
    expect(c).toMatchObject({ DINGTALK_MODE: 'stream', DINGTALK_CALLBACK_PATH: '/dingtalk/callback', DINGTALK_API_BASE: 'https://api.dingtalk.com' });
    expect(c.DINGTALK_STREAM_ENDPOINT).toBe('https://api.dingtalk.com/v1.0/gateway/connections/open');
    expect(() => loadConfig({ DINGTALK_MODE: 'webhook' })).toThrow(/DINGTALK_MODE/);
    expect(() => loadConfig({ DINGTALK_CALLBACK_PATH: 'callback' })).toThrow(/DINGTALK_CALLBACK_PATH/);
  });
});
