/** 年级 and 班级 as schools write them → stage, grade within the stage, class number, display name. */
import type { Stage } from '../domain/types.js';
import { parseNumber } from '../domain/numerals.js';

const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export interface GradeRef {
  stage?: Stage;
  grade: number;
}

/** '三年级', '3', '初二', '七年级' (= junior 1) → grade; undefined when not a compulsory-school grade. */
export function parseGrade(raw: string, stage?: Stage): GradeRef | undefined {
  const t = raw.replace(/\s/g, '');
  let m = /^初([一二三123])(?:年级)?$/.exec(t);
  if (m) return { stage: 'junior', grade: parseNumber(m[1]!)! };
  m = /^([一二三四五六七八九1-9])(?:年级)?$/.exec(t);
  if (!m) return undefined;
  const n = parseNumber(m[1]!)!;
  if (n >= 7) return { stage: 'junior', grade: n - 6 };
  if (stage === 'junior') return n <= 3 ? { stage: 'junior', grade: n } : undefined;
  return { stage: 'primary', grade: n };
}

/** '2班', '2', '(2)班', '三(2)班', '三（2）班', '初二(3)班', '八(3)班' → class number and the grade if written. */
export function parseClass(raw: string, stage?: Stage): { classNo: number; grade?: GradeRef } | undefined {
  const t = raw.replace(/\s/g, '').replace(/（/g, '(').replace(/）/g, ')');
  const m = /^(?:(初[一二三123]|[一二三四五六七八九1-9])(?:年级|(?=\()))?\(?([0-9]+|[一二三四五六七八九十]+)\)?班?$/.exec(t);
  if (!m) return undefined;
  const classNo = parseNumber(m[2]!);
  if (classNo === undefined || classNo < 1 || classNo > 99) return undefined;
  const grade = m[1] ? parseGrade(m[1], stage) : undefined;
  if (m[1] && !grade) return undefined;
  return grade ? { classNo, grade } : { classNo };
}

export function className(stage: Stage, grade: number, classNo: number): string {
  return `${gradeLabel(stage, grade).replace(/年级$/, '')}(${classNo})班`;
}

/** 一年级 … 六年级, 初一 … 初三. */
export function gradeLabel(stage: Stage, grade: number): string {
  return stage === 'junior' ? `初${CN[grade]}` : `${CN[grade]}年级`;
}
