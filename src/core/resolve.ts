/** Finding the student a command names, within what the sender may see. */
import type { Ctx } from './context.js';
import { refuse } from './context.js';
import { canSeeStudent } from '../domain/org.js';
import { findStudents, findStudentsWithMark, placeOf, type DayMark, type StudentFull } from '../store/org.repository.js';
import type { DateStr } from '../domain/types.js';

/** One student by name or 学籍号 tail, in the sender's scope; refuses (without naming anyone else) otherwise. */
export async function resolveStudent(ctx: Ctx, token: string, example: string): Promise<StudentFull> {
  return pickStudent(ctx, token, example, (where) => findStudents(ctx.tx, where, token));
}

/** resolveStudent with the student's mark in force on `date`, read in the same statement (for 缺勤). */
export async function resolveStudentWithMark(ctx: Ctx, token: string, example: string, date: DateStr): Promise<StudentFull & { dayMark: DayMark }> {
  return pickStudent(ctx, token, example, (where) => findStudentsWithMark(ctx.tx, where, token, date));
}

async function pickStudent<T extends StudentFull>(
  ctx: Ctx,
  token: string,
  example: string,
  find: (where: { classId?: number; schoolId?: number; villageId?: number }) => Promise<T[]>,
): Promise<T> {
  const a = ctx.actor;
  const where =
    a.role === 'class_teacher' || a.role === 'subject_teacher'
      ? { classId: a.classId ?? -1 }
      : a.role === 'principal'
        ? { schoolId: a.schoolId ?? -1 }
        : a.role === 'village'
          ? { villageId: a.villageId ?? -1 }
          : {};
  const found = (await find(where)).filter((s) => canSeeStudent(a, placeOf(s)));
  if (found.length === 0) refuse(`在您负责的范围内没有找到学生“${token}”。请核对姓名，或用学籍号后几位。`, example);
  if (found.length > 1) {
    const list =
      ctx.chat.kind === 'dm' ? `：${found.map((s) => `${s.name}（${s.class.name}，学籍号尾号${s.studentNo.slice(-6)}）`).join('、')}` : '（名单请私聊查看）';
    refuse(`“${token}”对应 ${found.length} 名学生${list}。请改用学籍号后六位。`, example.replace(token, found[0]!.studentNo.slice(-6)));
  }
  return found[0]!;
}

/** A date attendance may be recorded for: a school day, not in the future, within the last 30 days. */
export function checkAttendanceDate(ctx: Ctx, date: DateStr, example: string): void {
  if (date > ctx.today) refuse(`不能登记未来的日期（${date}）。`, example);
  const cal = ctx.deps.calendar;
  if (!cal.isSchoolDay(date)) refuse(`${date} 不是上学日（${cal.whyNotSchoolDay(date) ?? '非上学日'}），不需要登记考勤。`, example);
  const oldest = new Date(`${ctx.today}T00:00:00Z`).getTime() - 30 * 86400_000;
  if (new Date(`${date}T00:00:00Z`).getTime() < oldest) refuse('只能登记或更正最近 30 天的考勤；更早的请联系学校管理员。', example);
}
