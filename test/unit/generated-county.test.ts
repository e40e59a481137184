import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_RATES, generateCounty } from '../../src/demo/generated-county.js';
import { countyTables, type County } from '../../src/demo/county-tables.js';
import { writeCountyCsv } from '../../src/demo/county-csv.js';
import { parseSeedDemoArgs } from '../../src/demo/seed-demo-args.js';
import { parse } from 'csv-parse/sync';
import { validateRoster } from '../../src/roster/validate.js';
import type { Roster, Table } from '../../src/roster/types.js';
import type { AttentionKind } from '../../src/domain/types.js';

const count = <T>(xs: T[], key: (x: T) => string) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());

function validated(c: County): Roster {
  const t = countyTables(c);
  const r = validateRoster(t.people, t.students);
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  return r.roster;
}

describe('a county of 60,000', () => {
  let c: County;
  let roster: Roster;
  beforeAll(() => {
    c = generateCounty({ students: 60_000, seed: 1 });
    roster = validated(c);
  });

  it('has the shape of a real county: 20 towns, 300 villages, ~150 schools, ~1,500 classes of 40–55', () => {
    expect(c.students).toHaveLength(60_000);
    expect(roster.towns).toHaveLength(20);
    expect(roster.towns.every((t) => t.villages.length === 15)).toBe(true);
    expect(roster.schools.length).toBeGreaterThanOrEqual(120);
    expect(roster.schools.length).toBeLessThanOrEqual(160);
    const classes = count(c.students, (s) => `${s.school}|${s.className}`);
    expect(classes.size).toBeGreaterThanOrEqual(1_250);
    expect(classes.size).toBeLessThanOrEqual(1_500);
    expect(Math.min(...classes.values())).toBeGreaterThanOrEqual(40);
    expect(Math.max(...classes.values())).toBeLessThanOrEqual(55);
    expect(new Set(roster.schools.map((s) => s.kind))).toEqual(new Set(['primary', 'junior', 'nine_year']));
  });

  it('has big town-centre schools: every town a centre primary and junior high, the county seat 3,000+ pupils in one school', () => {
    const bySchool = count(c.students, (s) => s.school);
    for (const t of roster.towns) {
      const primary = bySchool.get(`${t.name}中心小学`) ?? 0;
      const junior = bySchool.get(`${t.name}初级中学`) ?? 0;
      expect(primary).toBeGreaterThan(700);
      expect(junior).toBeGreaterThan(500);
      expect(primary + junior).toBeGreaterThanOrEqual(1_200);
    }
    const sizes = [...bySchool.values()].sort((a, b) => b - a);
    expect(sizes[0]).toBeGreaterThanOrEqual(3_000);
    expect(sizes[0]).toBeLessThanOrEqual(4_000);
    expect(sizes.filter((n) => n >= 1_000).length).toBeGreaterThanOrEqual(20);
  });

  it('staffs every role: officials, a cadre per village, a principal per school, a class teacher per class', () => {
    const roles = count(c.people, (p) => p.role);
    expect(roles.get('county')).toBeGreaterThanOrEqual(1);
    expect(roles.get('town')).toBe(40);
    expect(
      count(
        roster.people.filter((p) => p.role === 'town'),
        (p) => p.town!,
      ).size,
    ).toBe(20);
    const villages = roster.towns.flatMap((t) => t.villages.map((v) => `${t.name}|${v}`));
    expect(
      roster.people
        .filter((p) => p.role === 'village')
        .map((p) => `${p.town}|${p.village}`)
        .sort(),
    ).toEqual(villages.sort());
    expect(
      roster.people
        .filter((p) => p.role === 'principal')
        .map((p) => p.school)
        .sort(),
    ).toEqual(roster.schools.map((s) => s.name).sort());
    const classes = new Set(c.students.map((s) => `${s.school}|${s.className}`));
    const teachers = roster.people.filter((p) => p.role === 'class_teacher').map((p) => `${p.school}|${p.className}`);
    expect(teachers).toHaveLength(classes.size);
    expect(new Set(teachers)).toEqual(classes);
    expect(roles.get('subject_teacher')).toBeGreaterThan(classes.size / 5);
  });

  it('gives unique 学籍号 and 工号 T00001…', () => {
    expect(new Set(c.students.map((s) => s.studentNo)).size).toBe(60_000);
    expect(c.people.map((p) => p.staffId)).toEqual(c.people.map((_, i) => `T${String(i + 1).padStart(5, '0')}`));
    expect(new Set(c.people.map((p) => p.name)).size).toBe(c.people.length);
  });

  it('marks 重点关注 categories at realistic rates, some combined', () => {
    const expected: [AttentionKind, number, number][] = [
      ['left_behind', 0.15, 0.2],
      ['poor', 0.04, 0.06],
      ['single_parent', 0.03, 0.05],
      ['other_guardian', 0.02, 0.04],
      ['disabled_parents', 0.005, 0.015],
      ['learning_difficulty', 0.02, 0.04],
      ['behaviour', 0.005, 0.015],
    ];
    expect(expected.map(([k]) => k).sort()).toEqual(Object.keys(ATTENTION_RATES).sort());
    for (const [kind, lo, hi] of expected) {
      const rate = c.students.filter((s) => s.attention.includes(kind)).length / c.students.length;
      expect(rate, kind).toBeGreaterThanOrEqual(lo);
      expect(rate, kind).toBeLessThanOrEqual(hi);
    }
    expect(c.students.filter((s) => s.attention.length >= 2).length).toBeGreaterThan(600);
  });

  it('houses pupils in their school town, junior highs drawing from the whole town, teaching points from their own village', () => {
    const town = new Map(roster.schools.map((s) => [s.name, s.town]));
    expect(c.students.filter((s) => s.town === town.get(s.school)).length / c.students.length).toBeGreaterThan(0.97);
    for (const t of roster.towns) {
      const junior = c.students.filter((s) => s.school === `${t.name}初级中学` && s.town === t.name);
      expect(new Set(junior.map((s) => s.village)).size).toBe(15);
    }
    const points = roster.schools.filter((s) => /村小学$/.test(s.name));
    for (const p of points) {
      const own = p.name.slice(p.town.length, -2);
      const pupils = c.students.filter((s) => s.school === p.name);
      expect(pupils.filter((s) => s.village === own).length / pupils.length).toBeGreaterThan(0.6);
      expect(Math.max(...pupils.map((s) => s.grade))).toBeLessThanOrEqual(3);
    }
  });
});

describe('smaller counties keep the shape', () => {
  it.each([5_000, 6_000])('%i students: 2 towns, 30 villages, classes of 40–55, a school of 1,200+, a nine-year school', (n) => {
    const c = generateCounty({ students: n, seed: 1 });
    const roster = validated(c);
    expect(c.students).toHaveLength(n);
    expect(roster.towns).toHaveLength(2);
    expect(roster.towns.flatMap((t) => t.villages)).toHaveLength(30);
    const classes = [...count(c.students, (s) => `${s.school}|${s.className}`).values()];
    expect(Math.min(...classes)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...classes)).toBeLessThanOrEqual(55);
    expect(Math.max(...count(c.students, (s) => s.school).values())).toBeGreaterThanOrEqual(1_200);
    expect(roster.schools.some((s) => s.kind === 'nine_year')).toBe(true);
  });

  it('keeps a school of 1,200+ at 5,000 for every seed tried', () => {
    for (const seed of [2, 3, 4, 5, 6]) {
      const c = generateCounty({ students: 5_000, seed });
      expect(Math.max(...count(c.students, (s) => s.school).values()), `seed ${seed}`).toBeGreaterThanOrEqual(1_200);
    }
  });

  it('scales schools, villages and classes proportionally at 20,000', () => {
    const c = generateCounty({ students: 20_000, seed: 1 });
    const roster = validated(c);
    expect(roster.towns).toHaveLength(7);
    expect(roster.schools.length).toBeGreaterThanOrEqual(40);
    expect(roster.schools.length).toBeLessThanOrEqual(55);
    expect(count(c.students, (s) => `${s.school}|${s.className}`).size).toBeGreaterThanOrEqual(400);
  });

  it('refuses sizes it cannot shape', () => {
    expect(() => generateCounty({ students: 1_999 })).toThrow(/2000–120000/);
    expect(() => generateCounty({ students: 120_001 })).toThrow(/2000–120000/);
  });
});

describe('determinism and the files', () => {
  it('is the same for a seed and differs between seeds', () => {
    const a = generateCounty({ students: 6_000, seed: 3 });
    expect(generateCounty({ students: 6_000, seed: 3 })).toEqual(a);
    const b = generateCounty({ students: 6_000, seed: 4 });
    expect(b.students.map((s) => s.name)).not.toEqual(a.students.map((s) => s.name));
  });

  /** A CSV as Excel's "CSV UTF-8" would be read: BOM, quoted cells, CRLF. */
  const readCsv = (file: string): Table => {
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parse(text.slice(1)) as string[][];
    return { header: header!, rows: rows.map((r, i) => ({ line: i + 2, cells: Object.fromEntries(header!.map((h, j) => [h, r[j] ?? ''])) })) };
  };

  it('writes people.csv and students.csv that read back to the same roster', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-county-'));
    try {
      const c = generateCounty({ students: 2_000, seed: 9 });
      const files = writeCountyCsv(dir, c);
      const r = validateRoster(readCsv(files.people), readCsv(files.students));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.roster).toEqual(validated(c));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads seed-demo flags and refuses bad ones with an example', () => {
    expect(parseSeedDemoArgs([])).toEqual({ ok: true });
    expect(parseSeedDemoArgs(['--students', '60000', '--seed', '7', '--out', 'dir'])).toEqual({ ok: true, size: { students: 60_000, seed: 7 }, out: 'dir' });
    for (const bad of [['--students', '100'], ['--students', 'many'], ['--seed', '3'], ['--students', '5000', '--seed', '-1'], ['--size', '5000'], ['--out']]) {
      const r = parseSeedDemoArgs(bad);
      expect(r.ok, bad.join(' ')).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/示例：npm run cli -- seed-demo/);
    }
  });
});
