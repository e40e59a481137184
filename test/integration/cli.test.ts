/** The admin CLI as an operator runs it: a real process, a real SQLite file. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(root, '../shared/samples/weekly-count-replies.jsonl');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'cli.db')}`, TZ: 'UTC' };

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env, input, encoding: 'utf8', timeout: 120_000 });
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parse-count', () => {
  it.skipIf(!fs.existsSync(samples))('reads every sample reply as the samples file says', () => {
    const lines = fs
      .readFileSync(samples, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    const r = cli(['parse-count', '-'], lines.map((l) => JSON.stringify({ text: (JSON.parse(l) as { text: string }).text })).join('\n'));
    expect(r.status).toBe(0);
    const answers = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; figures: object; reason?: string });
    expect(answers).toHaveLength(lines.length);
    lines.forEach((l, i) => {
      const { expect: want } = JSON.parse(l) as { expect: unknown };
      const got = answers[i]!;
      if (want === null) expect(got.outcome).toBe('not-a-count');
      else if (want === 'reject') expect(got.outcome).toBe('invalid');
      else if (want === 'ask') expect(got.outcome).toBe('inconsistent');
      else {
        expect(got.outcome).toBe('count');
        // the samples give 请假 as one figure; the reader also keeps 病假 and 事假 apart
        const { sick: _s, personal: _p, ...rest } = got.figures as Record<string, number>;
        expect(rest).toEqual(want);
      }
      if (got.outcome === 'invalid' || got.outcome === 'inconsistent') expect(got.reason).toMatch(/应到/);
    });
  });

  it('answers one JSON line for a single text', () => {
    const r = cli(['parse-count', '应到45 实到44 病假1']);
    expect(JSON.parse(r.stdout)).toEqual({ outcome: 'count', figures: { enrolled: 45, present: 44, leave: 1, sick: 1, personal: 0 } });
  });
});

describe('seed-demo, invite and a scripted conversation', () => {
  it('seeds the demo county once', () => {
    const r = cli(['seed-demo']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('已生成示范县');
    const again = cli(['seed-demo']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('只能写入空数据库');
  });

  it('creates a one-time invite code', () => {
    const r = cli(['invite', 'T0001']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/绑定 [A-Z2-9]{8}/);
  });

  it('runs the example script: two absences reach principal and village cadre by DM only', () => {
    const script = path.join(root, 'examples/two-day-absence.jsonl');
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'converse', '--script', script], { cwd: root, env, encoding: 'utf8' });
    const msgs = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { to: string; chat: string; text: string; name?: string });
    const alerts = msgs.filter((m) => m.text.includes('两天未到校预警'));
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    expect(alerts.every((m) => m.chat === 'dm')).toBe(true);
    const studentName = /学生：(\S+?)（/.exec(alerts[0]!.text)![1]!;
    expect(msgs.filter((m) => m.chat !== 'dm').every((m) => !m.text.includes(studentName))).toBe(true);
  });

  it('a bad config value stops the start with a line naming the variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'invite', 'T0001'], {
      cwd: root,
      env: { ...env, TIMEZONE: 'Mars/Olympus' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^TIMEZONE: /m);
  });
});

describe('rates imports (after the demo county is seeded above)', () => {
  it('import-cohorts: a bad file exits 1, names its lines in Chinese and writes nothing; a good one is imported', () => {
    const bad = path.join(dir, 'bad-cohorts.csv');
    fs.writeFileSync(bad, '学校,入学年份,一年级入学人数\n青石镇中心小学,2018,30\n青石镇中心小学,2018,x\n');
    const r = cli(['import-cohorts', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('第3行：一年级入学人数“x”不对');
    expect(r.stderr).toContain('没有导入任何数据');
    const good = path.join(dir, 'cohorts.csv');
    fs.writeFileSync(good, '学校,入学年份,一年级入学人数\n青石镇中心小学,2018,30\n青石镇九年一贯制学校,2018,22\n');
    const ok = cli(['import-cohorts', good]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('导入成功：一年级入学人数 2 行');
  }, 240_000);

  it('import-population without a file says what the file looks like', () => {
    const r = cli(['import-population']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('乡镇,村,年份,小学适龄人口,初中适龄人口');
  }, 120_000);
});
