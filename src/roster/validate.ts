/**
 * Validates both roster sheets together, row by row as they are read (students first: the people sheet is checked
 * against the places the students name). All-or-nothing: every bad row is reported, nothing is partially accepted.
 */
import type { SchoolKind, Stage } from '../domain/types.js';
import { mapHeader, PEOPLE_COLUMNS, PEOPLE_REQUIRED, STUDENT_COLUMNS, STUDENT_REQUIRED } from './headers.js';
import { studentChecker, type Bad } from './check-student.js';
import { classKey, personChecker, type Places } from './check-person.js';
import type { PersonRecord, RosterError, RosterFile, RosterResult, SchoolRecord, SheetRow, StudentRecord, Table } from './types.js';

/** Errors listed in full; past this many only their number is given. */
export const MAX_LISTED_ERRORS = 300;

const LABEL: Record<RosterFile, string> = { people: '人员表', students: '学生表' };

export interface RosterCheck {
  /** The header row of a sheet; false when a required column is missing (the rows of that sheet are then not read). */
  header(file: RosterFile, header: SheetRow): boolean;
  student(row: SheetRow): void;
  person(row: SheetRow): void;
  /** A problem found while reading a file (syntax, encoding, size): the file is not read further. */
  fileError(e: RosterError): void;
  result(): RosterResult;
}

export function createRosterCheck(): RosterCheck {
  const errors: RosterError[] = [];
  const warnings: RosterError[] = [];
  let omitted = 0;
  const report = (e: RosterError) => (errors.length < MAX_LISTED_ERRORS ? errors.push(e) : omitted++);
  const interned = new Map<string, string>();
  const intern = (s: string) => interned.get(s) ?? (interned.set(s, s), s);

  const places: Places = { classesBySchool: new Map(), villagesByTown: new Map() };
  const schools = new Map<string, { stages: Set<Stage>; towns: Map<string, number> }>();
  const students: StudentRecord[] = [];
  const people: PersonRecord[] = [];
  const rows: Record<RosterFile, number> = { people: 0, students: 0 };
  let checkStudent: ReturnType<typeof studentChecker> | undefined;
  let checkPerson: ReturnType<typeof personChecker> | undefined;
  const badOf =
    (file: RosterFile, line: number): Bad =>
    (column, reason) =>
      report({ file, line, column, reason });

  return {
    header(file, row) {
      const h = row.values.map((v) => v.trim());
      const { map, missing, unused } = file === 'students' ? mapHeader(h, STUDENT_COLUMNS, STUDENT_REQUIRED) : mapHeader(h, PEOPLE_COLUMNS, PEOPLE_REQUIRED);
      const columns: Record<string, readonly string[]> = file === 'students' ? STUDENT_COLUMNS : PEOPLE_COLUMNS;
      for (const f of missing) report({ file, line: row.line, column: columns[f]![0], reason: `缺少“${columns[f]![0]}”列` });
      if (unused.length)
        warnings.push({
          file,
          line: row.line,
          reason: `没有导入这些列：${unused.map((u) => `“${u}”`).join('、')}（不是名册的列；如是已有列的别名，请改用 ${Object.values(columns)
            .map((a) => a[0])
            .join('、')}）`,
        });
      if (missing.length) return false;
      if (file === 'students') checkStudent = studentChecker(map, intern);
      else checkPerson = personChecker(map, places, intern);
      return true;
    },
    student(row) {
      rows.students++;
      const { record, place } = checkStudent!(row, badOf('students', row.line));
      if (place) {
        let classes = places.classesBySchool.get(place.school);
        if (!classes) places.classesBySchool.set(place.school, (classes = new Map()));
        classes.set(classKey(place.stage, place.grade, place.classNo), place);
        let villages = places.villagesByTown.get(place.town);
        if (!villages) places.villagesByTown.set(place.town, (villages = new Set()));
        villages.add(place.village);
      }
      if (!record) return;
      students.push(record);
      let school = schools.get(record.school);
      if (!school) schools.set(record.school, (school = { stages: new Set(), towns: new Map() }));
      school.stages.add(record.stage);
      school.towns.set(record.town, (school.towns.get(record.town) ?? 0) + 1);
    },
    person(row) {
      rows.people++;
      const record = checkPerson!(row, badOf('people', row.line));
      if (record) people.push(record);
    },
    fileError: report,
    result() {
      // Only a sheet read to its end can be said to be empty: after another error it may just not have been read.
      if (!errors.length && !omitted)
        for (const file of ['students', 'people'] as const)
          if (rows[file] === 0) report({ file, reason: `${LABEL[file]}只有表头，没有数据行：请确认名册在第一个工作表里` });
      if (errors.length || omitted) {
        errors.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file === 'people' ? -1 : 1));
        return { ok: false, errors, omitted };
      }
      return {
        ok: true,
        roster: { people, students, schools: schoolsOf(schools, people), towns: [...places.villagesByTown].map(([name, v]) => ({ name, villages: [...v] })) },
        warnings,
      };
    },
  };
}

function schoolsOf(schools: Map<string, { stages: Set<Stage>; towns: Map<string, number> }>, people: PersonRecord[]): SchoolRecord[] {
  const principalTown = new Map<string, string>();
  for (const p of people) if (p.role === 'principal' && p.school && p.town && !principalTown.has(p.school)) principalTown.set(p.school, p.town);
  return [...schools].map(([name, { stages, towns }]) => {
    const kind: SchoolKind = stages.size === 2 ? 'nine_year' : stages.has('junior') ? 'junior' : 'primary';
    const commonTown = [...towns].sort((a, b) => b[1] - a[1])[0]![0];
    const pt = principalTown.get(name);
    return { name, kind, town: pt && towns.has(pt) ? pt : commonTown };
  });
}

/** Both sheets already in memory (the demo county, tests): the same checks as a streamed import. */
export function validateRoster(people: Table, students: Table): RosterResult {
  const check = createRosterCheck();
  const asRow = (t: Table, r: Table['rows'][number]): SheetRow => ({ line: r.line, values: t.header.map((h) => r.cells[h] ?? '') });
  const studentsOk = check.header('students', { line: 1, values: students.header });
  const peopleOk = check.header('people', { line: 1, values: people.header });
  if (studentsOk && peopleOk) {
    for (const r of students.rows) check.student(asRow(students, r));
    for (const r of people.rows) check.person(asRow(people, r));
  }
  return check.result();
}
