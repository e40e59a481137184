/**
 * The demo county (示范县): deterministic, realistic enough to try every duty. It is rendered as the same tables an
 * import reads, so it passes through the same validation and writer as a real roster.
 */
import type { AttentionKind, Role, Stage } from '../domain/types.js';
import { className } from '../roster/grades.js';
import type { PersonRecord, StudentRecord, Table } from '../roster/types.js';
import { GROUPS, namer } from './random-names.js';
import { countyTables, type County } from './county-tables.js';

const TOWNS: { name: string; villages: string[] }[] = [
  { name: '青石镇', villages: ['东山村', '石桥村', '柳塘村'] },
  { name: '柳河镇', villages: ['河湾村', '杨家村'] },
];

interface SchoolPlan {
  name: string;
  town: string;
  /** stage, grade, classes in that grade, students per class */
  grades: [Stage, number, number, number][];
  /** villages its students come from, with weights */
  catchment: [string, string, number][];
}

const SCHOOLS: SchoolPlan[] = [
  {
    name: '青石镇中心小学',
    town: '青石镇',
    grades: [
      ['primary', 1, 1, 30],
      ['primary', 2, 1, 31],
      ['primary', 3, 2, 29],
      ['primary', 4, 1, 32],
      ['primary', 5, 1, 30],
      ['primary', 6, 1, 31],
    ],
    catchment: [
      ['青石镇', '东山村', 3],
      ['青石镇', '石桥村', 2],
      ['青石镇', '柳塘村', 1],
    ],
  },
  {
    name: '柳河镇初级中学',
    town: '柳河镇',
    grades: [
      ['junior', 1, 2, 36],
      ['junior', 2, 2, 35],
      ['junior', 3, 2, 33],
    ],
    catchment: [
      ['柳河镇', '河湾村', 3],
      ['柳河镇', '杨家村', 3],
      ['青石镇', '石桥村', 1],
    ],
  },
  {
    name: '青石镇九年一贯制学校',
    town: '青石镇',
    grades: [
      ['primary', 1, 1, 18],
      ['primary', 2, 1, 17],
      ['primary', 3, 1, 19],
      ['primary', 4, 1, 18],
      ['primary', 5, 1, 16],
      ['primary', 6, 1, 18],
      ['junior', 1, 1, 22],
      ['junior', 2, 1, 21],
      ['junior', 3, 1, 20],
    ],
    catchment: [
      ['青石镇', '柳塘村', 3],
      ['青石镇', '东山村', 1],
    ],
  },
];

const STAFF_ATTENTION: AttentionKind[] = [
  'left_behind',
  'left_behind',
  'left_behind',
  'poor',
  'poor',
  'single_parent',
  'other_guardian',
  'disabled_parents',
  'learning_difficulty',
  'behaviour',
];

export function generateDemoCounty(seed = 42): County {
  const { rand, pick, phone, personName, staffName, guardianName } = namer(seed);

  const students: StudentRecord[] = [];
  let seq = 0;
  for (const school of SCHOOLS) {
    for (const [stage, grade, classes, size] of school.grades) {
      for (let classNo = 1; classNo <= classes; classNo++) {
        const inClass = new Set<string>();
        for (let i = 0; i < size; i++) {
          const female = rand() < 0.48;
          let name = personName(female);
          while (inClass.has(name)) name = personName(female);
          inClass.add(name);
          const totalWeight = school.catchment.reduce((n, c) => n + c[2], 0);
          let r = rand() * totalWeight;
          const [town, village] = school.catchment.find((c) => (r -= c[2]) < 0) ?? school.catchment[0]!;
          const attention: AttentionKind[] = rand() < 0.15 ? [pick(STAFF_ATTENTION)] : [];
          if (attention.length && rand() < 0.2) {
            const extra = pick(STAFF_ATTENTION);
            if (!attention.includes(extra)) attention.push(extra);
          }
          const family = name[0]!;
          const guardian = guardianName(family, attention.includes('left_behind') || attention.includes('other_guardian'));
          const birthYear = 2026 - (stage === 'junior' ? grade + 6 : grade) - 6;
          const birth = `${birthYear}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
          students.push({
            line: students.length + 2,
            studentNo: `G52272${birth}${String(++seq).padStart(4, '0')}`,
            name,
            gender: female ? 'F' : 'M',
            school: school.name,
            stage,
            grade,
            classNo,
            className: className(stage, grade, classNo),
            town,
            village,
            group: pick(GROUPS),
            guardian,
            guardianPhone: phone(),
            attention,
          });
        }
      }
    }
  }

  const people: PersonRecord[] = [];
  const add = (role: Role, female: boolean, place: Omit<PersonRecord, 'line' | 'staffId' | 'name' | 'role' | 'phone'>) =>
    people.push({
      line: people.length + 2,
      staffId: `T${String(people.length + 1).padStart(4, '0')}`,
      name: staffName(female),
      role,
      ...place,
      phone: phone(),
    });
  add('county', false, {});
  for (const t of TOWNS) add('town', rand() < 0.3, { town: t.name });
  for (const t of TOWNS) for (const v of t.villages) add('village', rand() < 0.2, { town: t.name, village: v });
  for (const s of SCHOOLS) add('principal', rand() < 0.4, { town: s.town, school: s.name });
  for (const s of SCHOOLS) {
    for (const [stage, grade, classes] of s.grades) {
      for (let c = 1; c <= classes; c++) add('class_teacher', rand() < 0.6, { school: s.name, className: className(stage, grade, c) });
    }
  }
  for (const s of SCHOOLS) {
    const [stage, grade] = s.grades[0]!;
    add('subject_teacher', rand() < 0.5, { school: s.name, className: className(stage, grade, 1) });
    add('subject_teacher', rand() < 0.5, { school: s.name });
  }
  return { people, students };
}

/** The demo county as the two sheets a county office would fill in. */
export function demoTables(seed = 42): { people: Table; students: Table } {
  return countyTables(generateDemoCounty(seed));
}
