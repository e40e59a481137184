/** `npm run cli -- audit verify` as an operator runs it: exit 0 and a summary when intact, non-zero naming the record otherwise. */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-audit-'));
const file = path.join(dir, 'cli.db');
const env = { ...process.env, DATABASE_URL: `file:${file}`, TZ: 'UTC' };
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
const sql = (text: string, ...params: unknown[]) => {
  const db = new Database(file);
  try {
    db.prepare(text).run(...params);
  } finally {
    db.close();
  }
};

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('audit verify', () => {
  it('exit 0 with a summary line on an intact chain (rows written by plain SQL are sealed by audit seal)', () => {
    expect(cli(['seed-demo']).status).toBe(0);
    for (const d of ['2026-11-16', '2026-11-17', '2026-11-18'])
      sql(`INSERT INTO "AttendanceMark" ("studentId","date","status","reportedById","chatRef","recordedAt") VALUES (1, ?, 'truant', 1, 'console:dm', 0)`, d);
    const seal = cli(['audit', 'seal']);
    expect(seal.status, seal.stderr).toBe(0);
    expect(seal.stdout).toContain('已封存 3 条记录');
    const r = cli(['audit', 'verify']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/记录链完整：已核对 \d+ 条封存记录/);
  });

  it('an edited row: non-zero, naming the table and row', () => {
    sql(`UPDATE "AttendanceMark" SET "status" = 'sick' WHERE "date" = '2026-11-17'`);
    const r = cli(['audit', 'verify']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('考勤记录（AttendanceMark） 第 2 行在机器人之外被修改过');
    sql(`UPDATE "AttendanceMark" SET "status" = 'truant' WHERE "date" = '2026-11-17'`);
    expect(cli(['audit', 'verify']).status).toBe(0);
  });

  it('a deleted row: non-zero, naming it', () => {
    sql(`DELETE FROM "AttendanceMark" WHERE "date" = '2026-11-18'`);
    const r = cli(['audit', 'verify']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('第 3 行在机器人之外被删除');
  });

  it('an altered chain entry: non-zero, naming the entry', () => {
    sql(`UPDATE "ChainEntry" SET "hash" = ? WHERE "tableName" = 'AttendanceMark' AND "rowId" = 1`, 'a'.repeat(64));
    const r = cli(['audit', 'verify']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/第 \d+ 条链记录（考勤记录（AttendanceMark） 第 1 行）被改动/);
  });

  it('an unknown subcommand says how to use it', () => {
    const r = cli(['audit', 'check']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('audit verify');
  });
});
