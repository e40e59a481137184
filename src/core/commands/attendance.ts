/** Class teachers: report today's absences, "all present", corrections, a student back at school. */
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import type { CommandDef } from '../registry.js';
import { TEACHERS } from '../registry.js';
import { dateWord, parseAbsenceList, statusWord, tokens } from '../parse-args.js';
import { checkAttendanceDate, resolveStudent } from '../resolve.js';
import { recordAttendance, type Recorded } from '../../services/attendance.js';
import { ATTENDANCE_LABELS, type AttendanceStatus, type DateStr } from '../../domain/types.js';
import { LADDER_STEP_LABELS } from '../../domain/absence.js';
import { classMarksOn } from '../../store/attendance.repository.js';
import { dayLabel } from '../../services/format.js';
import { applyReturnToCase } from '../../services/cases.js';

const ABSENT_EXAMPLE = '缺勤 张三 病假 李四 旷课';

const STATUS_NOTE: Record<string, string> = {
  transferred_out: '已登记转学',
  suspended: '已登记休学',
  borrowing: '已登记借读',
  dropped_out: '已确认辍学（在辍学学生花名册上）；回校上课请用：复学 姓名',
  graduated: '已毕业',
};

/** Attendance is taken only for students on the roll. */
function onRoll(s: { name: string; status: string }, example: string): void {
  if (s.status !== 'enrolled') refuse(`${s.name}${STATUS_NOTE[s.status] ?? '不在籍'}，不需要登记考勤。`, example);
}

function ownClass(ctx: Ctx): number {
  if (ctx.actor.classId == null) refuse('您的账号还没有关联班级，请联系管理员在人员名单中填写“班级”。');
  return ctx.actor.classId;
}

function summarize(rec: Recorded[]): string {
  const counts = new Map<AttendanceStatus, number>();
  for (const r of rec) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${ATTENDANCE_LABELS[s]} ${n} 人`).join('，');
}

async function ladderNotes(ctx: Ctx, rec: Recorded[], names: Map<number, string>): Promise<string[]> {
  const notes: string[] = [];
  for (const r of rec) {
    const name = names.get(r.studentId) ?? '';
    for (const a of r.ladder.raised) {
      notes.push(`• ${name}：${LADDER_STEP_LABELS[a.step]}（预警 #${a.alertId}，已私信通知 ${a.recipients} 位责任人）`);
    }
    for (const c of r.ladder.closed) {
      notes.push(`• ${name}：预警 #${c.alertId} ${c.how === 'withdrawn' ? '已撤销' : '已解除'}，已告知收到预警的人`);
    }
  }
  return notes;
}

/** Replies: class-level numbers in the group, names only in the teacher's direct chat. */
async function answer(ctx: Ctx, date: DateStr, rec: Recorded[], names: Map<number, string>, headline: string): Promise<void> {
  const details = rec.map((r) => `${names.get(r.studentId)}：${ATTENDANCE_LABELS[r.status]}${r.previous && r.previous !== r.status ? `（原为${ATTENDANCE_LABELS[r.previous]}）` : ''}`);
  const notes = await ladderNotes(ctx, rec, names);
  const privateText = [`${dayLabel(date)} ${headline}`, ...details, ...(notes.length ? ['', ...notes] : [])].join('\n');
  if (ctx.chat.kind === 'group') {
    await ctx.reply(`已记录${dayLabel(date)}考勤：${headline}${rec.length ? '。学生名单和后续提醒已私信您。' : '。'}`);
    if (rec.length) await ctx.replyPrivately(privateText);
  } else {
    await ctx.reply(`已记录。${privateText}`);
  }
}

export const absent: CommandDef = {
  id: 'absent',
  words: ['缺勤', '缺席', '未到', 'absent'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: { zh: '登记今天缺勤的学生（病假/事假/旷课），可加日期', en: "report today's absences (sick/personal/truant), optional date" },
  example: ABSENT_EXAMPLE,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const { items, date = ctx.today } = parseAbsenceList(args, ctx.today);
    if (items.length === 0) refuse('请写出缺勤学生的姓名和原因（病假、事假或旷课）。', ABSENT_EXAMPLE);
    checkAttendanceDate(ctx, date, ABSENT_EXAMPLE);
    const names = new Map<number, string>();
    const marks = [];
    for (const it of items) {
      const s = await resolveStudent(ctx, it.name, ABSENT_EXAMPLE);
      onRoll(s, ABSENT_EXAMPLE);
      if (names.has(s.id)) refuse(`“${it.name}”写了两次。`, ABSENT_EXAMPLE);
      if (it.status === 'present') refuse(`“缺勤”里不能写“到校”；学生到校了请用：更正 ${it.name} 到校`, ABSENT_EXAMPLE);
      names.set(s.id, s.name);
      marks.push({ studentId: s.id, status: it.status, ...(it.unstated ? { note: '未注明原因' } : {}) });
    }
    const wholeClass = ctx.actor.role === 'class_teacher';
    const rec = await recordAttendance(ctx.deps, ctx.tx, { classId, date, today: ctx.today, marks, wholeClass, reporterId: ctx.person.id, reporterName: ctx.person.name, chatRef: ctx.chatRef });
    const unstated = items.some((i) => i.unstated) ? '（未注明原因的按旷课记录，如是请假请发：更正 姓名 病假）' : '';
    const headline = `缺勤 ${summarize(rec.filter((r) => names.has(r.studentId)))}${unstated}`;
    await answer(ctx, date, rec, await withNames(ctx, rec, names), headline);
  },
};

async function withNames(ctx: Ctx, rec: Recorded[], names: Map<number, string>): Promise<Map<number, string>> {
  for (const r of rec) {
    if (!names.has(r.studentId)) {
      const s = await ctx.tx.student.findUniqueOrThrow({ where: { id: r.studentId } });
      names.set(s.id, s.name);
    }
  }
  return names;
}

export const allPresent: CommandDef = {
  id: 'all_present',
  words: ['今天全到', '全到', '全部到校', 'all_present'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: { zh: '今天全班都到校了', en: 'everyone is at school today' },
  example: '今天全到',
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const t = tokens(args);
    const date = t.length ? dateWord(t[0]!, ctx.today) : ctx.today;
    if (!date || t.length > 1) refuse('“全到”后面只能跟日期。', '今天全到 或 全到 11-20');
    checkAttendanceDate(ctx, date, '今天全到');
    const absentNow = [...(await classMarksOn(ctx.tx, classId, date)).values()].filter((s) => s !== 'present').length;
    if (absentNow > 0) refuse(`${dayLabel(date)}已登记 ${absentNow} 名学生缺勤，不能再记“全到”。如果他们其实到校了，请逐个更正。`, '更正 张三 到校');
    const rec = await recordAttendance(ctx.deps, ctx.tx, { classId, date, today: ctx.today, marks: [], wholeClass: true, reporterId: ctx.person.id, reporterName: ctx.person.name, chatRef: ctx.chatRef });
    await answer(ctx, date, rec, await withNames(ctx, rec, new Map()), rec.length ? `全班到校（${rec.length} 名之前缺勤的学生已返校，相关预警已解除）` : '全班到校');
  },
};

const CORRECT_EXAMPLE = '更正 张三 病假 11-20';

export const correct: CommandDef = {
  id: 'correct',
  words: ['更正', '改正', '修改', 'correct'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: { zh: '更正某天的考勤（原记录保留）', en: 'correct a day’s attendance (history is kept)' },
  example: CORRECT_EXAMPLE,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const t = tokens(args);
    const status = t.map(statusWord).find((s) => s !== undefined);
    const date = t.map((x) => dateWord(x, ctx.today)).find((d) => d !== undefined) ?? ctx.today;
    const rest = t.filter((x) => !statusWord(x) && !dateWord(x, ctx.today));
    if (rest.length !== 1 || !status) refuse('请写一名学生、改成什么（病假、事假、旷课或到校），可加日期。', CORRECT_EXAMPLE);
    checkAttendanceDate(ctx, date, CORRECT_EXAMPLE);
    const s = await resolveStudent(ctx, rest[0]!, CORRECT_EXAMPLE);
    onRoll(s, CORRECT_EXAMPLE);
    const rec = await recordAttendance(ctx.deps, ctx.tx, { classId, date, today: ctx.today, marks: [{ studentId: s.id, status, note: '更正' }], wholeClass: false, reporterId: ctx.person.id, reporterName: ctx.person.name, chatRef: ctx.chatRef });
    if (rec[0]?.previous === status) refuse(`${s.name} ${dayLabel(date)}本来就是${ATTENDANCE_LABELS[status]}，无需更正。`, CORRECT_EXAMPLE);
    await answer(ctx, date, rec, new Map([[s.id, s.name]]), '更正 1 人（原记录已保留）');
  },
};

const RETURNED_EXAMPLE = '复学 张三';

export const returned: CommandDef = {
  id: 'returned',
  words: ['复学', '已返校', 'returned'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: { zh: '学生回校上课了：记到校、解除预警、销号个案', en: 'a student is back at school' },
  example: RETURNED_EXAMPLE,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const t = tokens(args);
    const date = t.map((x) => dateWord(x, ctx.today)).find((d) => d !== undefined) ?? ctx.today;
    const rest = t.filter((x) => !dateWord(x, ctx.today));
    if (rest.length !== 1) refuse('请写一名学生，可加返校日期。', RETURNED_EXAMPLE);
    checkAttendanceDate(ctx, date, RETURNED_EXAMPLE);
    const s = await resolveStudent(ctx, rest[0]!, RETURNED_EXAMPLE);
    if (s.status !== 'enrolled' && s.status !== 'dropped_out') refuse(`${s.name}${STATUS_NOTE[s.status] ?? '不在籍'}，不能登记复学；学籍恢复请联系学校。`, RETURNED_EXAMPLE);
    const rec = await recordAttendance(ctx.deps, ctx.tx, { classId, date, today: ctx.today, marks: [{ studentId: s.id, status: 'present', note: '复学' }], wholeClass: false, reporterId: ctx.person.id, reporterName: ctx.person.name, chatRef: ctx.chatRef });
    const caseNote = await applyReturnToCase(ctx.deps, ctx.tx, s.id, ctx.person.id, date);
    await answer(ctx, date, rec, new Map([[s.id, s.name]]), `复学 1 人${caseNote ? `，${caseNote}` : ''}`);
  },
};
