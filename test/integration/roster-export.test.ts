/** The dropout roster as a file: in chat (scoped to the asker, by direct message) and from the CLI; xlsx and CSV. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ROSTER_COLUMNS } from '../../src/reports/roster.js';

let app: TestApp;
const names: Record<string, string> = {};
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Puts a student of a school on the roster the way people do: three days absent, a failed visit, confirmed. */
async function dropout(schoolName: string): Promise<string> {
  const db = app.deps.db;
  const school = await db.school.findFirstOrThrow({ where: { name: schoolName } });
  const cls = await db.schoolClass.findFirstOrThrow({ where: { schoolId: school.id }, orderBy: { id: 'asc' } });
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: cls.id } });
  const principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: school.id } });
  const s = await db.student.findFirstOrThrow({ where: { classId: cls.id }, include: { village: true }, orderBy: { id: 'desc' } });
  const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  for (const day of ['2026-11-16', '2026-11-17', '2026-11-18']) {
    app.clock.set(`${day}T09:00:00+08:00`);
    await app.session.say(teacher.staffId, 'dm', `缺勤 ${s.studentNo} 旷课`);
  }
  await app.session.say(cadre.staffId, 'dm', `家访 ${s.studentNo} 外出务工 拒绝返校`);
  await app.session.say(principal.staffId, 'dm', `确认辍学 ${s.studentNo}`);
  return s.name;
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-16T08:00:00+08:00' });
  names.qs = await dropout('青石镇中心小学');
  names.lh = await dropout('柳河镇初级中学');
}, 60_000);
afterAll(async () => app?.close());

async function readXlsx(p: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(p);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('dropout roster export', () => {
  it('a town official gets the town roster as an .xlsx by direct message: only students of the town', async () => {
    const out = (await app.session.say('T0002', 'dm', '辍学名单 表格')).delivered;
    expect(out).toHaveLength(1);
    expect(out[0]!.chat).toBe('dm');
    expect(out[0]!.text).toContain('青石镇辍学学生花名册（1 人）');
    const file = /\((.+\.xlsx)\)$/.exec(out[0]!.attachment!)![1]!;
    const rows = await readXlsx(file);
    expect(rows[0]![0]).toBe('青石镇辍学学生花名册');
    expect(rows[2]).toEqual([...ROSTER_COLUMNS]);
    const body = rows.slice(3).filter((r) => /^\d+$/.test(r[0] ?? ''));
    expect(body.map((r) => r[2])).toEqual([names.qs]);
    const s = await app.deps.db.student.findFirstOrThrow({ where: { name: names.qs! } });
    expect(body[0]![4]).toBe(s.studentNo);
    expect(body[0]![12]).toContain('确认辍学');
  });

  it("a principal's CSV (UTF-8 with BOM for Excel) holds only the school's students", async () => {
    const out = (await app.session.say('T0010', 'dm', '辍学名单 csv')).delivered;
    const file = /\((.+\.csv)\)$/.exec(out[0]!.attachment!)![1]!;
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeff序号,')).toBe(true);
    expect(text).toContain(names.lh);
    expect(text).not.toContain(names.qs);
  });

  it('an unknown format is refused with an example; a group chat cannot have it', async () => {
    expect((await app.session.say('T0002', 'dm', '辍学名单 pdf')).delivered[0]!.text).toContain('辍学名单 表格');
    const group = (await app.session.say('T0002', '镇工作群', '辍学名单 表格')).delivered;
    expect(group.every((d) => !d.attachment)).toBe(true);
  });

  it('the CLI writes the county roster (both students) to --out', () => {
    const out = path.join(app.dir, '全县.csv');
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'roster', '--format', 'csv', '--out', out], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL, REPORTS_DIR: path.join(app.dir, 'reports') },
      encoding: 'utf8',
    });
    expect(stdout).toContain('辍学学生花名册：2 人');
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain(names.qs);
    expect(text).toContain(names.lh);
  });
});
