/** The roster import into a real database: all-or-nothing, idempotent, updates in place. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { readRoster } from '../../src/roster/read-roster.js';
import { DemoCountyError, importRoster } from '../../src/store/roster-import.js';
import { seedDemoIfEmpty } from '../../src/seed.js';
import { monthlyReportModel } from '../../src/reports/monthly-model.js';

let app: TestApp;
let dir: string;
const at = new Date('2026-11-20T00:00:00Z');

const PEOPLE = `工号,姓名,角色,镇,村,学校,班级,手机
A001,赵局长,县教育局,,,,,13900000001
A002,钱镇长,镇,青石镇,,,,13900000002
A003,孙村长,村,青石镇,东山村,,,13900000003
A004,李校长,校长,青石镇,,青石镇中心小学,,13900000004
A005,周老师,班主任,,,青石镇中心小学,三(2)班,13900000005
`;
const STUDENTS = `学籍号,姓名,性别,学校,学段,年级,班级,镇,村,组,监护人,联系电话,重点关注类别
G100000000000000001,张小明,男,青石镇中心小学,小学,三年级,2班,青石镇,东山村,一组,张大山,13812345678,留守儿童
G100000000000000002,王小红,女,青石镇中心小学,小学,三年级,2班,青石镇,东山村,二组,王建国,13812345679,
`;

async function write(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function load(people: string, students: string) {
  const r = await readRoster(await write('p.csv', people), await write('s.csv', students));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.roster;
}

beforeAll(async () => {
  app = await makeApp({ demo: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-roster-'));
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('roster import', () => {
  it('writes a valid roster', async () => {
    const s = await importRoster(app.deps.db, await load(PEOPLE, STUDENTS), { countyName: '测试县', at });
    expect(s.created).toMatchObject({ students: 2, people: 5, schools: 1, classes: 1, towns: 1, villages: 1 });
    const teacher = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'A005' } });
    const cls = await app.deps.db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
    expect(cls.name).toBe('三(2)班');
    const s1 = await app.deps.db.student.findUniqueOrThrow({ where: { studentNo: 'G100000000000000001' } });
    expect(s1.attention).toBe('left_behind');
  });

  it('the same file again changes nothing', async () => {
    const before = await app.deps.db.student.findMany({ orderBy: { id: 'asc' } });
    const s = await importRoster(app.deps.db, await load(PEOPLE, STUDENTS), { countyName: '测试县', at: new Date('2026-11-21T00:00:00Z') });
    expect(s.created).toMatchObject({ students: 0, people: 0, schools: 0, classes: 0 });
    expect(s.updated).toEqual({ students: 0, people: 0 });
    expect(s.unchanged).toEqual({ students: 2, people: 5 });
    expect(await app.deps.db.student.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('a changed file updates in place, keyed by 学籍号 and 工号', async () => {
    const changed = STUDENTS.replace('13812345679', '13912345679');
    const s = await importRoster(app.deps.db, await load(PEOPLE.replace('周老师', '周晓梅'), changed), { countyName: '测试县', at });
    expect(s.updated).toEqual({ students: 1, people: 1 });
    expect(await app.deps.db.student.count()).toBe(2);
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { studentNo: 'G100000000000000002' } })).guardianPhone).toBe('13912345679');
    expect((await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'A005' } })).name).toBe('周晓梅');
  });

  it('a bad row anywhere means nothing is written, with every bad row reported', async () => {
    const bad = `${STUDENTS}G100000000000000003,李四,男,青石镇中心小学,小学,三年级,2班,青石镇,东山村,,,12345,\nG100000000000000004,,女,青石镇中心小学,小学,高一,2班,青石镇,东山村,,,,\n`;
    const r = await readRoster(await write('p.csv', PEOPLE), await write('s.csv', bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual(expect.arrayContaining([4, 5]));
    expect(await app.deps.db.student.count()).toBe(2);
  });

  it('the demo county is never written into an imported database', async () => {
    await expect(seedDemoIfEmpty(app.deps.db, at)).resolves.toBeUndefined();
    const demo = await makeApp();
    try {
      await expect(importRoster(demo.deps.db, await load(PEOPLE, STUDENTS), { countyName: '测试县', at })).rejects.toBeInstanceOf(DemoCountyError);
    } finally {
      await demo.close();
    }
  });

  it('a student added by a later import during a term is recorded as transferred in, and the report counts it', async () => {
    const added = `${STUDENTS}G100000000000000009,刘新来,男,青石镇中心小学,小学,三年级,2班,青石镇,东山村,一组,刘父,13812345670,\n`;
    await importRoster(app.deps.db, await load(PEOPLE, added), { countyName: '测试县', at, transferInOn: '2026-11-20' });
    const s = await app.deps.db.student.findUniqueOrThrow({ where: { studentNo: 'G100000000000000009' } });
    expect(await app.deps.db.registerEvent.findMany({ where: { studentId: s.id }, select: { change: true, on: true } })).toEqual([
      { change: 'transferred_in', on: '2026-11-20' },
    ]);
    const school = await app.deps.db.school.findFirstOrThrow();
    const m = await monthlyReportModel(app.deps, app.deps.db, school.id, '2026-11', '2026-11-20');
    const row = m.rows.find((r) => r.label === '三年级')!;
    expect(row).toMatchObject({ transferredIn: 1, current: 3, atTermStart: 2 });
  });
});
