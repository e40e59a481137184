/**
 * Re-placement on return (重新调年级编班): the pupil moves to another class of the same school. Student.classId holds
 * the class now; the move itself is a register event (from, to, when, who), so the history is never overwritten.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr, Stage } from '../domain/types.js';
import { parseClass } from '../roster/grades.js';
import { movedToClass } from './student-status.js';
import { classesOfSchool } from '../store/org.repository.js';

type ClassRow = { id: number; name: string; stage: string; grade: number; classNo: number };
export type ClassLookup = { ok: true; cls: ClassRow } | { ok: false; reason: string; example: string };

/** A class of the school as a teacher writes it (三(2)班, 三年级2班, 初二(3)班); the grade must be written. */
export async function findClassOfSchool(db: Tx, schoolId: number, raw: string, stage: string): Promise<ClassLookup> {
  const classes = await classesOfSchool(db, schoolId);
  const example = classes[0]?.name ?? '三(2)班';
  const parsed = parseClass(raw, stage as Stage);
  if (!parsed?.grade) return { ok: false, reason: `“${raw}”看不出是哪个年级哪个班，请写成“三(2)班”这样。`, example };
  const { grade } = parsed;
  const found = classes.find((c) => c.grade === grade.grade && c.classNo === parsed.classNo && (grade.stage === undefined || c.stage === grade.stage));
  if (!found) {
    const names = classes.map((c) => c.name).join('、');
    return { ok: false, reason: `本校没有“${raw}”。本校的班级有：${names || '（无）'}。`, example };
  }
  return { ok: true, cls: found };
}

/** Moves the pupil to the class and records the move as a register event. */
export async function placeInClass(deps: Deps, tx: Tx, s: { id: number; classId: number }, toClassId: number, on: DateStr, byPersonId: number): Promise<void> {
  await movedToClass(tx, { studentId: s.id, fromClassId: s.classId, toClassId, on, byId: byPersonId, at: deps.clock.now() });
}
