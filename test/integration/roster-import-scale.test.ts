/**
 * The import past SQLite's 999 bound values: a county of 5,000 students with a school of 1,260 pupils, imported,
 * re-imported unchanged, changed in place, refused for one bad row, rolled back when a write fails half-way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { readRoster } from '../../src/roster/read-roster.js';
import { importRoster } from '../../src/store/roster-import.js';
import type { Roster } from '../../src/roster/types.js';

const CN = '一二三四五六';
const at = new Date('2026-11-20T00:00:00Z');

/** A small county as CSV text: 青石镇中心小学 has 6 grades × 6 classes × 35 = 1,260 pupils; village schools fill up to `n`. */
function county(n: number): { people: string[]; students: string[] } {
  const students = ['学籍号,姓名,性别,学校,学段,年级,班级,镇,村,组,监护人,联系电话,重点关注类别'];
  const people = ['工号,姓名,角色,镇,村,学校,班级,手机', 'A0001,赵局长,县教育局,,,,,13900000001', 'A0002,钱镇长,镇,青石镇,,,,13900000002'];
  const villages = Array.from({ length: 8 }, (_, i) => `${CN[i % 6]}${i}村`);
  villages.forEach((v, i) => people.push(`V${i},村干部${i},村,青石镇,${v},,,1390000${String(1000 + i)}`));
  const schools = ['青石镇中心小学', ...Array.from({ length: 9 }, (_, i) => `${villages[i % 8]}小学${i}`)];
  let k = 0;
  schools.forEach((school, si) => {
    people.push(`P${si},校长${si},校长,青石镇,,${school},,13800${String(100000 + si)}`);
    const perClass = si === 0 ? 35 : 1;
    for (let g = 1; g <= 6; g++) {
      for (let c = 1; c <= (si === 0 ? 6 : 1); c++) {
        people.push(`T${si}-${g}-${c},班主任${si}${g}${c},班主任,,,${school},${CN[g - 1]}(${c})班,`);
        const size = si === 0 ? perClass : Math.ceil((n - 1260) / 54);
        for (let i = 0; i < size && k < n; i++, k++) {
          const no = `G${String(110000000000 + k)}`;
          students.push(
            `${no},学生${k},${k % 2 ? '女' : '男'},${school},小学,${CN[g - 1]}年级,${c}班,青石镇,${villages[k % 8]},一组,家长${k},138${String(10000000 + k)},${k % 10 === 0 ? '留守儿童' : ''}`,
          );
        }
      }
    }
  });
  return { people, students };
}

let app: TestApp;
let dir: string;
const write = (name: string, lines: string[]) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
};
async function load(people: string[], students: string[]): Promise<Roster> {
  const r = await readRoster(write('people.csv', people), write('students.csv', students));
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  return r.roster;
}
const snapshot = () => app.deps.db.student.findMany({ orderBy: { id: 'asc' } });

beforeAll(async () => {
  app = await makeApp({ demo: false });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-scale-'));
});
afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a county of 5,000 students', () => {
  const { people, students } = county(5000);

  it('imports, with a school of 1,260 pupils, and reports its progress', async () => {
    expect(students).toHaveLength(5001);
    const seen: string[] = [];
    const s = await importRoster(app.deps.db, await load(people, students), {
      countyName: '测试县',
      at,
      onProgress: (p) => seen.push(`${p.phase}:${'what' in p ? p.what : p.file}`),
    });
    expect(s.created).toMatchObject({ students: 5000, people: people.length - 1, schools: 10, towns: 1, villages: 8 });
    const big = await app.deps.db.school.findFirstOrThrow({ where: { name: '青石镇中心小学' } });
    expect(await app.deps.db.student.count({ where: { class: { schoolId: big.id } } })).toBe(1260);
    expect(await app.deps.db.student.count()).toBe(5000);
    expect(seen.filter((x) => x === 'write:students')).toHaveLength(10);
    expect(s.unstaffed).toEqual({ schools: [], villages: [] });
  });

  it('the same files again change nothing, not even updatedAt', async () => {
    const before = await snapshot();
    const s = await importRoster(app.deps.db, await load(people, students), { countyName: '测试县', at: new Date('2026-11-21T00:00:00Z') });
    expect(s.created).toEqual({ students: 0, people: 0, schools: 0, classes: 0, towns: 0, villages: 0 });
    expect(s.updated).toEqual({ students: 0, people: 0 });
    expect(s.unchanged).toEqual({ students: 5000, people: people.length - 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('a changed file updates in place by 学籍号; a new student during a term is transferred in; a left-out one is counted', async () => {
    const changed = students.map((l, i) => (i > 0 && i % 8 === 0 ? l.replace(/,138(\d{8}),/, ',139$1,') : l));
    const moved = changed.filter((_, i) => i !== 4999).concat('G999999999999,新来生,男,青石镇中心小学,小学,三年级,2班,青石镇,一0村,一组,新家长,13700000000,');
    const s = await importRoster(app.deps.db, await load(people, moved), { countyName: '测试县', at, transferInOn: '2026-11-20' });
    expect(s.updated.students).toBe(625);
    expect(s.created.students).toBe(1);
    expect(s.notInFile).toEqual({ students: 1, people: 0 });
    expect(await app.deps.db.student.count({ where: { guardianPhone: { startsWith: '139' } } })).toBe(625);
    const added = await app.deps.db.student.findUniqueOrThrow({ where: { studentNo: 'G999999999999' } });
    expect(await app.deps.db.registerEvent.findMany({ where: { studentId: added.id }, select: { change: true, on: true } })).toEqual([
      { change: 'transferred_in', on: '2026-11-20' },
    ]);
  });

  it('one bad row in 5,000 writes nothing and is named by its line', async () => {
    const before = await snapshot();
    const bad = students.map((l, i) => (i === 4320 ? l.replace(/,(男|女),/, ',未知,') : l.replace(',一组,', ',二组,')));
    const r = await readRoster(write('people.csv', people), write('students.csv', bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ file: 'students', line: 4321, column: '性别', reason: '“未知”应为 男 或 女' }]);
    expect(await snapshot()).toEqual(before);
  });

  it('a write that fails half-way leaves nothing behind', async () => {
    const before = await snapshot();
    const roster = await load(
      people,
      students.map((l) => l.replace(',一组,', ',三组,')),
    );
    // Past validation, two new students share a 学籍号 in the last batch: the UNIQUE index refuses the insert.
    const last = roster.students.at(-1)!;
    roster.students.push({ ...last, studentNo: 'G888888888888', line: 5002 }, { ...last, studentNo: 'G888888888888', line: 5003 });
    await expect(importRoster(app.deps.db, roster, { countyName: '测试县', at })).rejects.toThrow();
    expect(await snapshot()).toEqual(before);
  });
});
