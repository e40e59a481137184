/** Warnings, not errors: extra columns, a school without a principal, a village without a cadre. The import goes on. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { readRoster } from '../../src/roster/read-roster.js';
import { formatRosterWarnings } from '../../src/roster/format-errors.js';
import { importRoster } from '../../src/store/roster-import.js';

const PEOPLE = `工号,姓名,角色,镇,村,学校,班级,手机,微信号
A001,赵局长,县教育局,,,,,13900000001,zhao
A002,钱镇长,镇,青石镇,,,,13900000002,
A003,孙村长,村,青石镇,东山村,,,13900000003,
A004,李校长,校长,青石镇,,青石镇中心小学,,13900000004,
A005,周老师,班主任,,,青石镇中心小学,三(2)班,13900000005,
A006,吴老师,班主任,,,柳河小学,一(1)班,13900000006,
`;
const STUDENTS = `学籍号,姓名,性别,学校,学段,年级,班级,镇,村,身份证号,备注
G100000000000000001,张小明,男,青石镇中心小学,小学,三年级,2班,青石镇,东山村,,
G100000000000000002,王小红,女,柳河小学,小学,一年级,1班,青石镇,西山村,,转来
`;

let app: TestApp;
let dir: string;
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

beforeAll(async () => {
  app = await makeApp({ demo: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-warn-'));
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('roster warnings', () => {
  it('names the columns it does not import, per file, and still accepts the roster', async () => {
    const r = await readRoster(write('p.csv', PEOPLE), write('s.csv', STUDENTS));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => [w.file, w.line])).toEqual([
      ['students', 1],
      ['people', 1],
    ]);
    const text = formatRosterWarnings(r.warnings);
    expect(text).toMatch(/提醒：学生表 第1行：没有导入这些列：“身份证号”、“备注”/);
    expect(text).toMatch(/提醒：人员表 第1行：没有导入这些列：“微信号”/);
  });

  it('a file with only known columns has no warning', async () => {
    const r = await readRoster(write('p.csv', PEOPLE.replace(/,微信号|,zhao|,$/gm, '')), write('s.csv', STUDENTS.replace(/,身份证号,备注|,,$|,,转来$/gm, '')));
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('after the import: the school without a principal and the village without a cadre, by name', async () => {
    const r = await readRoster(write('p.csv', PEOPLE), write('s.csv', STUDENTS));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const s = await importRoster(app.deps.db, r.roster, { countyName: '测试县', at: new Date('2026-11-20T00:00:00Z') });
    expect(s.created.students).toBe(2);
    expect(s.unstaffed).toEqual({ schools: ['柳河小学'], villages: ['青石镇西山村'] });
  });
});
