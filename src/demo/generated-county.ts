/**
 * A realistic synthetic county of any size from 2,000 to 120,000 students, deterministic for a seed: for tests that
 * must cross the database's limits and for `npm run bench`. Same records as the demo county, so it goes through the
 * same validation and writer as a real roster. The shape is planned in county-plan.ts.
 */
import { ATTENTION_KINDS, type AttentionKind, type Role } from '../domain/types.js';
import { className } from '../roster/grades.js';
import type { PersonRecord, StudentRecord } from '../roster/types.js';
import { planCounty, type SchoolPlan, type TownPlan } from './county-plan.js';
import { GROUPS, namer, type Namer } from './random-names.js';
import type { County } from './county-tables.js';

/** 重点关注 rates, drawn independently (a child may be left-behind and poor): rural-county proportions. */
export const ATTENTION_RATES: Record<AttentionKind, number> = {
  left_behind: 0.17,
  poor: 0.05,
  single_parent: 0.04,
  other_guardian: 0.03,
  disabled_parents: 0.01,
  learning_difficulty: 0.03,
  behaviour: 0.01,
};
/** Share of a town-centre school's pupils living in the next town (borrowing, a family moved, a nearer school). */
const FROM_NEXT_TOWN = 0.02;
const COUNTY_CODE = '522727';
/** The school year the grades are counted from (grade 1 in autumn 2026 was born in 2019). */
const SCHOOL_YEAR = 2026;

export interface GenerateOptions {
  students: number;
  seed?: number;
}

export function generateCounty({ students: count, seed = 1 }: GenerateOptions): County {
  const n = namer(seed);
  const towns = planCounty(count, n);
  const students: StudentRecord[] = [];
  const studentNos = new Map<string, number>();
  towns.forEach((town, i) => {
    const next = towns[(i + 1) % towns.length]!;
    for (const school of town.schools) addPupils(students, studentNos, school, town, next, n);
  });
  return { people: staff(towns, n), students };
}

function addPupils(out: StudentRecord[], studentNos: Map<string, number>, school: SchoolPlan, town: TownPlan, next: TownPlan, n: Namer): void {
  const { rand, pick } = n;
  const total = school.catchment.reduce((a, [, w]) => a + w, 0);
  const centre = school.role === 'centre_primary' || school.role === 'centre_junior';
  for (const cls of school.classes) {
    const inClass = new Set<string>();
    for (let i = 0; i < cls.size; i++) {
      const female = rand() < 0.48;
      let name = n.personName(female);
      while (inClass.has(name)) name = n.personName(female);
      inClass.add(name);
      let home: [string, string];
      if (centre && rand() < FROM_NEXT_TOWN) home = [next.name, pick(next.villages)];
      else {
        let r = rand() * total;
        home = [town.name, (school.catchment.find(([, w]) => (r -= w) < 0) ?? school.catchment[0]!)[0]];
      }
      const attention = ATTENTION_KINDS.filter((k) => rand() < ATTENTION_RATES[k]);
      const schoolYear = cls.stage === 'junior' ? cls.grade + 6 : cls.grade;
      const birth = `${SCHOOL_YEAR - schoolYear - 7 + (rand() < 0.67 ? 1 : 0)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
      const seq = (studentNos.get(birth) ?? 0) + 1;
      studentNos.set(birth, seq);
      const phone = rand() < 0.97 ? { guardianPhone: n.phone() } : {};
      out.push({
        line: out.length + 2,
        studentNo: `G${COUNTY_CODE}${birth}${String(seq).padStart(4, '0')}`,
        name,
        gender: female ? 'F' : 'M',
        school: school.name,
        stage: cls.stage,
        grade: cls.grade,
        classNo: cls.classNo,
        className: className(cls.stage, cls.grade, cls.classNo),
        town: home[0],
        village: home[1],
        group: pick(GROUPS),
        guardian: n.guardianName(name[0]!, attention.includes('left_behind') || attention.includes('other_guardian')),
        ...phone,
        attention,
      });
    }
  }
}

/** Every role staffed: county officials, two per town, a cadre per village, a principal per school, a class teacher
 * per class, and a subject teacher per four classes (half of them 包班, tied to one class). */
function staff(towns: TownPlan[], n: Namer): PersonRecord[] {
  const { rand } = n;
  const people: PersonRecord[] = [];
  const add = (role: Role, femaleShare: number, place: Omit<PersonRecord, 'line' | 'staffId' | 'name' | 'role' | 'phone'>) =>
    people.push({
      line: people.length + 2,
      staffId: `T${String(people.length + 1).padStart(5, '0')}`,
      name: n.staffName(rand() < femaleShare),
      role,
      ...place,
      phone: n.phone(),
    });
  for (let i = 0; i < 3; i++) add('county', 0.3, {});
  for (const t of towns) for (let i = 0; i < 2; i++) add('town', 0.3, { town: t.name });
  for (const t of towns) for (const v of t.villages) add('village', 0.2, { town: t.name, village: v });
  const schools = towns.flatMap((t) => t.schools);
  for (const s of schools) add('principal', 0.4, { town: s.town, school: s.name });
  for (const s of schools) for (const c of s.classes) add('class_teacher', 0.6, { school: s.name, className: className(c.stage, c.grade, c.classNo) });
  for (const s of schools) {
    for (let k = 0; k < Math.max(1, Math.round(s.classes.length / 4)); k++) {
      const c = s.classes[Math.floor(rand() * s.classes.length)]!;
      add('subject_teacher', 0.6, { school: s.name, ...(k % 2 === 0 ? { className: className(c.stage, c.grade, c.classNo) } : {}) });
    }
  }
  return people;
}
