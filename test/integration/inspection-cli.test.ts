/** `inspection draw` and `inspection verify` as an operator runs them: a changed draw or seed exits non-zero, in zh. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { canonicalJson, commitmentOf, type DrawPayload } from '../../src/domain/inspection-draw.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let app: TestApp;

function cli(args: string[], now = '2026-11-20T09:00:00+08:00') {
  const env = { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL, REPORTS_DIR: path.join(app.dir, 'reports'), TZ: 'UTC' };
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args, '--now', now], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T09:00:00+08:00' });
});
afterAll(async () => app?.close());

describe('inspection draw / verify', { timeout: 120_000 }, () => {
  let original: { payload: string; seed: string; commitment: string };

  it('draws once and verifies against the announced commitment', async () => {
    const r = cli(['inspection', 'draw', '--quarter', '2026Q4', '--schools', '2', '--classes-per-school', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('已完成 2026Q4 抽签');
    const row = await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } });
    const v = cli(['inspection', 'verify', '--quarter', '2026Q4', '--commitment', row.commitment]);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toContain('核验通过');
  });

  it('fails (non-zero, in zh) when the seed is changed', async () => {
    const row = await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } });
    original = { payload: row.payload, seed: row.seed, commitment: row.commitment };
    expect((JSON.parse(row.payload) as DrawPayload).draw).toHaveLength(2);
    await app.deps.db.inspectionDraw.update({ where: { id: row.id }, data: { seed: 'ab'.repeat(32) } });
    const v = cli(['inspection', 'verify', '--quarter', '2026Q4']);
    expect(v.status).not.toBe(0);
    expect(v.stderr).toContain('核验不通过');
    expect(v.stderr).toContain('承诺值');
  });

  it('fails when the draw is changed, even with the commitment recomputed to match; and against the announced commitment', async () => {
    const p = JSON.parse(original.payload) as DrawPayload;
    const other = p.candidates.schools.find((s) => !p.draw.some((d) => d.schoolId === s.id) && s.classes.length > 0)!;
    p.draw[0] = { ...p.draw[0]!, schoolId: other.id, schoolName: other.name, classes: [{ classId: other.classes[0]!.id, className: other.classes[0]!.name }] };
    const payload = canonicalJson(p);
    const commitment = commitmentOf(payload, original.seed);
    await app.deps.db.inspectionDraw.update({ where: { quarter: '2026Q4' }, data: { seed: original.seed, payload, commitment } });
    const v = cli(['inspection', 'verify', '--quarter', '2026Q4']);
    expect(v.status).not.toBe(0);
    expect(v.stderr).toContain('重新抽签');
    const w = cli(['inspection', 'verify', '--quarter', '2026Q4', '--commitment', original.commitment]);
    expect(w.status).not.toBe(0);
    expect(w.stderr).toContain('公布');
  });

  it('a quarter without a draw exits non-zero', () => {
    const r = cli(['inspection', 'verify', '--quarter', '2027Q1']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('没有抽签记录');
  });

  it('imports findings from a CSV on the day: a bad row writes nothing; a good file records and sends the 整改 notice', async () => {
    await app.deps.db.inspectionDraw.update({ where: { quarter: '2026Q4' }, data: original });
    const visit = (JSON.parse(original.payload) as DrawPayload).draw[0]!;
    const cls = visit.classes[0]!;
    const enrolled = await app.deps.db.student.count({ where: { classId: cls.classId, status: 'enrolled' } });
    const bad = path.join(app.dir, 'bad.csv');
    fs.writeFileSync(bad, `学校,班级,实到,缺勤\n${visit.schoolName},${cls.className},${enrolled},\n${visit.schoolName},${cls.className},三十,\n`);
    const b = cli(['inspection', 'import', bad], `${visit.date}T10:00:00+08:00`);
    expect(b.status).not.toBe(0);
    expect(b.stderr).toContain('第3行');
    expect(await app.deps.db.inspectionFinding.count()).toBe(0);
    const good = path.join(app.dir, 'good.csv');
    fs.writeFileSync(good, `\uFEFF学校,班级,实到,缺勤\r\n${visit.schoolName},${cls.className},${enrolled},\r\n`);
    const g = cli(['inspection', 'import', good], `${visit.date}T10:00:00+08:00`);
    expect(g.status, g.stderr).toBe(0);
    expect(g.stdout).toContain('已导入 1 条抽查记录');
    expect(g.stdout).toContain('当天未点名');
    expect(await app.deps.db.inspectionFinding.count()).toBe(1);
    expect(await app.deps.db.rectification.findMany()).toMatchObject([{ schoolId: visit.schoolId, date: visit.date, strike: 1 }]);
  });
});
