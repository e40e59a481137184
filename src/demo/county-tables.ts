/** A county's people and students as the two sheets a county office fills in (the import format of README). */
import { ATTENTION_LABELS, ROLE_LABELS, STAGE_LABELS, type Stage } from '../domain/types.js';
import type { PersonRecord, StudentRecord, Table } from '../roster/types.js';

export interface County {
  people: PersonRecord[];
  students: StudentRecord[];
}

export const STUDENT_HEADER = ['学籍号', '姓名', '性别', '学校', '学段', '年级', '班级', '镇', '村', '组', '监护人', '联系电话', '重点关注类别'];
export const PEOPLE_HEADER = ['工号', '姓名', '角色', '镇', '村', '学校', '班级', '手机'];
const GRADE_LABEL = (stage: Stage, g: number) => (stage === 'junior' ? `初${'一二三'[g - 1]}` : `${'一二三四五六'[g - 1]}年级`);

/** One sheet row's cells in header order. */
export const studentCells = (s: StudentRecord): string[] => [
  s.studentNo,
  s.name,
  s.gender === 'F' ? '女' : '男',
  s.school,
  STAGE_LABELS[s.stage],
  GRADE_LABEL(s.stage, s.grade),
  `${s.classNo}班`,
  s.town,
  s.village,
  s.group ?? '',
  s.guardian ?? '',
  s.guardianPhone ?? '',
  s.attention.map((a) => ATTENTION_LABELS[a]).join('、'),
];
export const personCells = (p: PersonRecord): string[] => [
  p.staffId,
  p.name,
  ROLE_LABELS[p.role],
  p.town ?? '',
  p.village ?? '',
  p.school ?? '',
  p.className ?? '',
  p.phone ?? '',
];

export function countyTables({ people, students }: County): { people: Table; students: Table } {
  const row = (header: string[], line: number, values: string[]) => ({ line, cells: Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])) });
  return {
    students: { header: STUDENT_HEADER, rows: students.map((s) => row(STUDENT_HEADER, s.line, studentCells(s))) },
    people: { header: PEOPLE_HEADER, rows: people.map((p) => row(PEOPLE_HEADER, p.line, personCells(p))) },
  };
}
