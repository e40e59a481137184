/** `npm run cli -- import` as an operator runs it: progress and warnings on stderr, refusals in Chinese, nothing half-written. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-import-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'cli.db')}`, TZ: 'UTC' };
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
const write = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PEOPLE = `工号,姓名,角色,镇,村,学校,班级,手机
A001,赵局长,县教育局,,,,,13900000001
A005,周老师,班主任,,,青石镇中心小学,三(2)班,13900000005
`;
const STUDENTS = `学籍号,姓名,性别,学校,学段,年级,班级,镇,村,备注
G100000000000000001,张小明,男,青石镇中心小学,小学,三年级,2班,青石镇,东山村,
`;

describe('cli import', () => {
  it('random bytes as .xlsx: a Chinese refusal naming the file, exit 1', () => {
    const r = cli(['import', write('p.csv', PEOPLE), write('garbage.xlsx', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131) % 256)))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/学生表：garbage\.xlsx 不是有效的 \.xlsx 文件/);
    expect(r.stderr).toMatch(/没有写入任何数据/);
    expect(r.stderr.replace(/[\w.-]+\.(csv|xlsx|xls)\b|Excel|UTF-8|CSV|xlsx|xls/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('a CSV syntax error: line and column in Chinese', () => {
    const r = cli([
      'import',
      write('p.csv', PEOPLE),
      write('s.csv', `${STUDENTS}G100000000000000002,王"小"红,女,青石镇中心小学,小学,三年级,2班,青石镇,东山村,\n`),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/学生表 第3行 \[姓名，第2列\]：s\.csv.*双引号/);
  });

  it('imports with progress and warnings on stderr, and succeeds', () => {
    const r = cli(['import', write('p.csv', PEOPLE), write('s.csv', STUDENTS)]);
    expect(r.status, r.stderr).toBe(0);
    // The refused imports before this one wrote nothing: everything is new now.
    expect(r.stdout).toMatch(/导入成功。\n学生：新增 1，.*\n新增镇 1、村 1、学校 1、班级 1/);
    expect(r.stderr).toMatch(/学生表：读取并检查完毕，共 1 行/);
    expect(r.stderr).toMatch(/已写入学生 1\/1/);
    expect(r.stderr).toMatch(/提醒：学生表 第1行：没有导入这些列：“备注”/);
    expect(r.stdout).toMatch(/提醒：1 所学校没有校长：青石镇中心小学/);
    expect(r.stdout).toMatch(/提醒：1 个村没有村干部：青石镇东山村/);
  });
});
