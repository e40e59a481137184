/**
 * A deterministic county of any size for the scale tests and measurements, written straight into an empty database
 * with createMany in chunks (the roster importer is not what is under test here). Towns of 15 villages, a nine-year
 * town-centre school per town plus village primary and junior schools, classes of at most 45, every role staffed,
 * a term of attendance marks (some corrected, some chronic absentees), class roll calls, weekly counts (some
 * corrected), open and closed alerts, dropout cases in every state with replayable events, register changes.
 * It returns what it wrote, so tests compute expected figures from the source, not from the database.
 */
import type { Db } from '../../src/store/prisma.js';
import type { DateStr, Stage } from '../../src/domain/types.js';
import { isoWeek } from '../../src/domain/calendar.js';
import { className } from '../../src/roster/grades.js';
import { prng } from '../../src/demo/random-names.js';

export interface BigCountyOptions {
  students: number;
  /** Pupils of the first school (a nine-year town-centre school), the rest shared among the others. */
  bigSchool?: number;
  seed?: number;
  /** Share of students with a dropout case (default 0.6%). */
  caseShare?: number;
  /** School days with marks, roll calls and weekly counts (the term so far, in order). */
  schoolDays: DateStr[];
  now: Date;
}

type Row = Record<string, unknown> & { id: number };
/** In the order they are written (a row only points to rows written before it). */
const TABLES = [
  'county',
  'town',
  'village',
  'school',
  'schoolClass',
  'student',
  'person',
  'attendanceMark',
  'classAttendance',
  'weeklyCount',
  'alert',
  'dropoutCase',
  'caseEvent',
  'registerEvent',
] as const;
type Table = (typeof TABLES)[number];
const STAGES: Record<string, [Stage, number][]> = {
  nine_year: [1, 2, 3, 4, 5, 6].map((g): [Stage, number] => ['primary', g]).concat([1, 2, 3].map((g): [Stage, number] => ['junior', g])),
  primary: [1, 2, 3, 4, 5, 6].map((g) => ['primary', g]),
  junior: [1, 2, 3].map((g) => ['junior', g]),
};
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
const ABSENT = ['sick', 'personal', 'truant'] as const;

export function generateCounty(o: BigCountyOptions) {
  const rnd = prng(o.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const at = o.now;
  const nTowns = Math.max(2, Math.round(o.students / 3000));
  const nSchools = Math.max(nTowns + 1, Math.round(o.students / 400));
  const t = Object.fromEntries(TABLES.map((k) => [k, [] as Row[]])) as Record<Table, Row[]>;
  t.county.push({ id: 1, name: '大山县', createdAt: at });
  const add = (table: Table, row: Omit<Row, 'id'>): number => {
    const id = t[table].length + 1;
    t[table].push({ id, ...row });
    return id;
  };
  const staff = (staffId: string, role: string, place: Record<string, number>) =>
    add('person', { staffId, name: `${pick([...SURNAMES])}老师${staffId}`, role, ...place, createdAt: at, updatedAt: at });
  staff('C0001', 'county', {});
  for (let i = 1; i <= nTowns; i++) {
    const townId = add('town', { countyId: 1, name: `第${i}镇` });
    staff(`TW${i}`, 'town', { townId });
    for (let v = 1; v <= 15; v++) staff(`V${i}-${v}`, 'village', { villageId: add('village', { townId, name: `第${i}镇${v}村` }) });
  }
  const weights = Array.from({ length: nSchools }, (_, i) => (i < nTowns ? 3 : 1));
  const rest = o.students - (o.bigSchool ?? 0);
  const restWeight = weights.reduce((n, w, i) => n + (o.bigSchool !== undefined && i === 0 ? 0 : w), 0);
  let left = rest;
  for (let i = 0; i < nSchools; i++) {
    const townId = (i % nTowns) + 1;
    const kind = i < nTowns ? 'nine_year' : i % 3 === 0 ? 'junior' : 'primary';
    const schoolId = add('school', { countyId: 1, townId, name: `第${townId}镇第${i + 1}学校`, kind });
    staff(`P${schoolId}`, 'principal', { schoolId, townId });
    const size = o.bigSchool !== undefined && i === 0 ? o.bigSchool : i === nSchools - 1 ? left : Math.round((rest * weights[i]!) / restWeight);
    if (!(o.bigSchool !== undefined && i === 0)) left -= size;
    const grades = STAGES[kind]!;
    grades.forEach(([stage, grade], g) => {
      const inGrade = Math.floor(size / grades.length) + (g < size % grades.length ? 1 : 0);
      const nClasses = Math.max(1, Math.ceil(inGrade / 45));
      for (let k = 1; k <= nClasses; k++) {
        const classId = add('schoolClass', { schoolId, stage, grade, classNo: k, name: className(stage, grade, k) });
        staff(`CT${classId}`, 'class_teacher', { schoolId, classId });
        const n = Math.floor(inGrade / nClasses) + (k <= inGrade % nClasses ? 1 : 0);
        for (let s = 0; s < n; s++) {
          const home = rnd() < 0.95 ? townId : Math.floor(rnd() * nTowns) + 1;
          const villageId = (home - 1) * 15 + Math.floor(rnd() * 15) + 1;
          const id = t.student.length + 1;
          add('student', {
            studentNo: `G${String(o.seed ?? 1).padStart(2, '0')}${String(id).padStart(8, '0')}`,
            name: `${pick([...SURNAMES])}${pick([...GIVEN])}${pick([...GIVEN])}`,
            gender: rnd() < 0.5 ? 'M' : 'F',
            classId,
            villageId,
            status: 'enrolled',
            createdAt: at,
            updatedAt: at,
          });
        }
      }
    });
  }
  const days = o.schoolDays;
  const last = days.at(-1)!;
  // register changes and cases, before the marks (a student who left has no marks after leaving)
  const event = (caseId: number, type: string, payload: Record<string, unknown>) =>
    add('caseEvent', { caseId, type, payload: JSON.stringify({ type, ...payload }), byId: 1, recordedAt: at });
  for (const s of t.student) {
    const r = rnd();
    const on = pick(days);
    if (r < 0.002) {
      s.status = pick(['transferred_out', 'suspended', 'borrowing']);
      add('registerEvent', { studentId: s.id, change: s.status, on, byId: 1, recordedAt: at });
    } else if (r < 0.003) add('registerEvent', { studentId: s.id, change: 'transferred_in', on, byId: 1, recordedAt: at });
    else if (r < 0.003 + (o.caseShare ?? 0.006)) {
      const state = pick(['suspected', 'confirmed', 'confirmed', 'returned', 'withdrawn']);
      const caseId = add('dropoutCase', { studentId: s.id, state, openedOn: on, createdAt: at });
      event(caseId, 'assign', { at: on, by: 'system', schoolLineId: '1', townLineId: '1' });
      if (state === 'withdrawn') event(caseId, 'withdraw', { at: on, by: '1', reason: 'absence_corrected' });
      if (state === 'confirmed' || state === 'returned') {
        event(caseId, 'home_visit', { at: on, by: '1', visitorIds: ['1'], reason: 'weariness', outcome: 'refused' });
        event(caseId, 'confirm', { at: on, by: '1' });
        s.status = 'dropped_out';
      }
      if (state === 'returned') {
        event(caseId, 'return', { at: last, by: '1', returnedOn: last });
        s.status = 'enrolled';
      }
    }
  }
  // marks: mostly present (not written), 2.5% absent, 1% of students chronically (20%); 10% of marks corrected later that day
  const chronic = new Set(t.student.filter(() => rnd() < 0.01).map((s) => s.id));
  for (const date of days) {
    const corrections: Omit<Row, 'id'>[] = [];
    for (const s of t.student) {
      if (s.status !== 'enrolled' && s.status !== 'dropped_out') continue;
      if (rnd() >= (chronic.has(s.id) ? 0.2 : 0.025)) continue;
      const base = { studentId: s.id, date, reportedById: 1, chatRef: 'console:dm:x', recordedAt: at };
      const id = add('attendanceMark', { ...base, status: pick(ABSENT), supersedesId: null });
      if (rnd() < 0.1) corrections.push({ ...base, status: pick(['present', ...ABSENT]), supersedesId: id });
    }
    for (const c of corrections) add('attendanceMark', c);
    for (const c of t.schoolClass) if (rnd() < 0.7) add('classAttendance', { classId: c.id, date, reportedById: 1, chatRef: 'console:dm:x', recordedAt: at });
  }
  for (const week of new Set(days.map(isoWeek))) {
    for (const c of t.schoolClass) {
      if (rnd() >= 0.85) continue;
      const base = { classId: c.id, week, enrolled: 45, present: 43, rawText: '应到45 实到43', reportedById: 1, chatRef: 'console:dm:x', recordedAt: at };
      const id = add('weeklyCount', { ...base, supersedesId: null });
      if (rnd() < 0.1) add('weeklyCount', { ...base, present: 44, rawText: '应到45 实到44', supersedesId: id });
    }
  }
  for (const s of t.student) {
    const r = rnd();
    if (r < 0.01)
      add('alert', {
        studentId: s.id,
        step: 'call_family',
        streakSince: last,
        streakDays: 1,
        raisedOn: last,
        status: r < 0.006 ? 'open' : 'resolved',
        createdAt: at,
      });
  }
  return t;
}

export type GeneratedCounty = ReturnType<typeof generateCounty>;

/** Writes the generated county into an empty database, table by table, at most ~900 bound values per statement. */
export async function writeCounty(db: Db, t: GeneratedCounty): Promise<void> {
  for (const table of TABLES) {
    const rows = t[table];
    if (rows.length === 0) continue;
    const per = Math.max(1, Math.floor(900 / Math.max(...rows.map((r) => Object.keys(r).length))));
    const model = (db as unknown as Record<string, { createMany(a: { data: Row[] }): Promise<unknown> }>)[table]!;
    for (let i = 0; i < rows.length; i += per) await model.createMany({ data: rows.slice(i, i + per) });
  }
}

export async function buildBigCounty(db: Db, o: BigCountyOptions): Promise<GeneratedCounty> {
  const t = generateCounty(o);
  await writeCounty(db, t);
  return t;
}
