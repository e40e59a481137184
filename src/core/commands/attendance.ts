/**
 * Class teachers: report today's absences (缺勤 adds to the day; 缺勤名单 is the whole day's list), "all present",
 * corrections, a student back at school (复学, optionally re-placed: 复学 张三 编入 三(2)班).
 */
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import type { CommandDef } from '../registry.js';
import { TEACHERS } from '../registry.js';
import { dateWord, parseAbsenceList, statusWord, tokens } from '../parse-args.js';
import { checkAttendanceDate, resolveStudent, resolveStudentWithMark } from '../resolve.js';
import { readArgs, type ArgSpec } from '../args.js';
import { ATTENDANCE_SET } from '../../domain/labels.js';
import { recordAttendance, type Recorded, type RecordMode } from '../../services/attendance.js';
import { findClassOfSchool, placeInClass } from '../../services/placement.js';
import { ATTENDANCE_LABELS, type AttendanceStatus, type DateStr } from '../../domain/types.js';
import { LADDER_STEP_LABELS } from '../../domain/absence.js';
import { classMarkRowsOn } from '../../store/attendance.repository.js';
import { dayLabel } from '../../services/format.js';
import { applyReturnToCase } from '../../services/cases.js';
import { studentNamesByIds } from '../../store/student.repository.js';
import type { DayMark } from '../../store/org.repository.js';

const ABSENT_EXAMPLE = '缺勤 张三 病假 李四 旷课';
const LIST_EXAMPLE = '缺勤名单 张三 病假 李四 旷课';

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

/** One line per pupil saying exactly what happened to their day. */
function detail(r: Recorded, name: string, date: DateStr, today: DateStr): string {
  const day = date === today ? '' : ` ${date.slice(5)}`;
  const now = ATTENDANCE_LABELS[r.status];
  const was = r.previous ? ATTENDANCE_LABELS[r.previous] : '';
  switch (r.kind) {
    case 'added':
      return `${name}：${now}（新登记）`;
    case 'changed':
      return `${name}：由${was}改为${now}（原记录保留）`;
    case 'same':
      return `${name}：已登记为${now}，未改动`;
    case 'kept':
      return `${name}：之前已登记为${was}，未改动；如要改，请发：更正 ${name} ${ATTENDANCE_LABELS[r.requested ?? 'truant']}${day}`;
    case 'now_present':
      return `${name}：不在缺勤名单上，由${was}改为到校`;
    case 'implicit':
      return `${name}：这次没有报缺勤，按到校计（如仍未到校，再发：缺勤 ${name} 旷课）`;
  }
}

/** Replies: class-level numbers in the group, names only in the teacher's direct chat. */
async function answer(ctx: Ctx, date: DateStr, rec: Recorded[], names: Map<number, string>, headline: string): Promise<void> {
  const details = rec.map((r) => detail(r, names.get(r.studentId) ?? '', date, ctx.today));
  const notes = await ladderNotes(ctx, rec, names);
  const privateText = [`${dayLabel(date)} ${headline}`, ...details, ...(notes.length ? ['', ...notes] : [])].join('\n');
  if (ctx.chat.kind === 'group') {
    await ctx.reply(`已记录${dayLabel(date)}考勤：${headline}${rec.length ? '。学生名单和后续提醒已私信您。' : '。'}`);
    if (rec.length) await ctx.replyPrivately(privateText);
  } else {
    await ctx.reply(`已记录。${privateText}`);
  }
}

/** Students named in a 缺勤 / 缺勤名单 message, checked; refuses the whole message on the first bad name. */
async function absenceMarks(ctx: Ctx, args: string, example: string) {
  const { items, date = ctx.today } = parseAbsenceList(args, ctx.today);
  if (items.length === 0) refuse('请写出缺勤学生的姓名和原因（病假、事假或旷课）。', example);
  checkAttendanceDate(ctx, date, example);
  const names = new Map<number, string>();
  const marks = [];
  // each pupil's day, read with the pupil: recordAttendance need not read it again
  const marksRead = new Map<number, DayMark>();
  for (const it of items) {
    const s = await resolveStudentWithMark(ctx, it.name, example, date);
    onRoll(s, example);
    if (names.has(s.id)) refuse(`“${it.name}”写了两次。`, example);
    if (it.status === 'present') refuse(`缺勤里不能写“到校”；学生到校了请用：更正 ${it.name} 到校`, example);
    names.set(s.id, s.name);
    marksRead.set(s.id, s.dayMark);
    marks.push({ studentId: s.id, status: it.status, ...(it.unstated ? { note: '未注明原因' } : {}) });
  }
  return { date, names, marks, marksRead, unstated: items.some((i) => i.unstated) };
}

function counted(rec: Recorded[], names: Map<number, string>): string {
  const listed = rec.filter((r) => names.has(r.studentId));
  const parts = [
    [listed.filter((r) => r.kind === 'added').length, '新登记'],
    [listed.filter((r) => r.kind === 'changed').length, '改动'],
    [listed.filter((r) => r.kind === 'same' || r.kind === 'kept').length, '之前已登记、未改动'],
    [rec.filter((r) => r.kind === 'now_present').length, '不在名单上改为到校'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${what} ${n} 人`)
    .join('，');
}

async function reportAbsences(ctx: Ctx, args: string, mode: RecordMode, example: string): Promise<void> {
  const classId = ownClass(ctx);
  const { date, names, marks, marksRead, unstated } = await absenceMarks(ctx, args, example);
  const takesClass = ctx.actor.role === 'class_teacher';
  const rec = await recordAttendance(ctx.deps, ctx.tx, {
    classId,
    date,
    today: ctx.today,
    marks,
    marksRead,
    mode,
    takesClass,
    reporterId: ctx.person.id,
    reporterName: ctx.person.name,
    chatRef: ctx.chatRef,
  });
  const note = unstated ? '（未注明原因的按旷课记录，如是请假请发：更正 姓名 病假）' : '';
  const inForce = summarize(rec.filter((r) => names.has(r.studentId)));
  const headline = `${mode === 'whole_day' ? '缺勤名单' : '缺勤'} ${inForce}（${counted(rec, names)}）${note}`;
  await answer(ctx, date, rec, await withNames(ctx, rec, names), headline);
}

export const absent: CommandDef = {
  id: 'absent',
  words: ['缺勤', '缺席', '未到', 'absent'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: {
    zh: '登记缺勤的学生（病假/事假/旷课），可加日期；发现一个报一个，之前登记的不会被改掉（改用“更正”，整天名单用“缺勤名单”）',
    en: 'report absences (sick/personal/truant), optional date; adds to the day — earlier marks change only by 更正 or 缺勤名单',
  },
  example: ABSENT_EXAMPLE,
  run: (ctx, args) => reportAbsences(ctx, args, 'add', ABSENT_EXAMPLE),
};

export const absentList: CommandDef = {
  id: 'absent_list',
  words: ['缺勤名单', '全天缺勤', 'absent_list'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: {
    zh: '报某天全部缺勤学生（整天名单）：名单外之前登记缺勤的学生改为到校',
    en: "the day's complete list of absentees: pupils marked absent earlier but not listed become present",
  },
  example: LIST_EXAMPLE,
  async run(ctx, args) {
    if (tokens(args).every((t) => dateWord(t, ctx.today) !== undefined)) {
      refuse('缺勤名单里要写出当天所有缺勤的学生和原因；如果全班都到了，请发：今天全到（补报某天用：全到 11-17）。', LIST_EXAMPLE);
    }
    await reportAbsences(ctx, args, 'whole_day', LIST_EXAMPLE);
  },
};

/** The names of the recorded students not yet known, read in one statement (none when all are known). */
async function withNames(ctx: Ctx, rec: Recorded[], names: Map<number, string>): Promise<Map<number, string>> {
  const missing = [...new Set(rec.map((r) => r.studentId).filter((id) => !names.has(id)))];
  if (missing.length === 0) return names;
  const found = await studentNamesByIds(ctx.tx, missing);
  for (const id of missing) {
    const name = found.get(id);
    if (name === undefined) throw new Error(`student ${id} not found`);
    names.set(id, name);
  }
  return names;
}

const ALL_PRESENT_ARGS = [
  { name: 'date', kind: 'date', title: '日期', optional: true, invalid: '“全到”后面只能跟日期。' },
] as const satisfies readonly ArgSpec[];

export const allPresent: CommandDef = {
  id: 'all_present',
  words: ['今天全到', '全到', '全部到校', 'all_present'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: { zh: '今天全班都到校了', en: 'everyone is at school today' },
  example: '今天全到',
  args: ALL_PRESENT_ARGS,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const { date = ctx.today } = await readArgs(ctx, ALL_PRESENT_ARGS, args, '今天全到 或 全到 11-20');
    checkAttendanceDate(ctx, date, '今天全到');
    const dayMarks = await classMarkRowsOn(ctx.tx, classId, date);
    const absentNow = [...dayMarks.values()].filter((m) => m.status !== 'present').length;
    if (absentNow > 0)
      refuse(
        `${dayLabel(date)}已登记 ${absentNow} 名学生缺勤，不能再记“全到”。如果他们其实到校了，请逐个更正，或发当天完整的缺勤名单。`,
        '更正 张三 到校 或 缺勤名单 李四 病假',
      );
    const rec = await recordAttendance(ctx.deps, ctx.tx, {
      classId,
      date,
      today: ctx.today,
      marks: [],
      mode: 'whole_day',
      dayMarks,
      takesClass: true,
      reporterId: ctx.person.id,
      reporterName: ctx.person.name,
      chatRef: ctx.chatRef,
    });
    await answer(
      ctx,
      date,
      rec,
      await withNames(ctx, rec, new Map()),
      rec.length ? `全班到校（${rec.length} 名之前缺勤的学生已返校，相关预警已解除）` : '全班到校',
    );
  },
};

const CORRECT_EXAMPLE = '更正 张三 病假 11-20';
const CORRECT_ARGS = [
  { name: 'date', kind: 'date', title: '日期', optional: true, at: 'any', attendance: true },
  { name: 'status', kind: 'label', set: ATTENDANCE_SET, title: '改成什么', at: 'any', missing: '请写改成什么（病假、事假、旷课或到校）。' },
  { name: 'student', kind: 'student', title: '学生', missing: '请写一名学生、改成什么（病假、事假、旷课或到校），可加日期。' },
] as const satisfies readonly ArgSpec[];

export const correct: CommandDef = {
  id: 'correct',
  words: ['更正', '改正', '修改', 'correct'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: { zh: '更正某天的考勤（原记录保留）', en: 'correct a day’s attendance (history is kept)' },
  example: CORRECT_EXAMPLE,
  args: CORRECT_ARGS,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const { date = ctx.today, status: label, student: s } = await readArgs(ctx, CORRECT_ARGS, args, CORRECT_EXAMPLE);
    const status = label.value;
    checkAttendanceDate(ctx, date, CORRECT_EXAMPLE);
    onRoll(s, CORRECT_EXAMPLE);
    const rec = await recordAttendance(ctx.deps, ctx.tx, {
      classId,
      date,
      today: ctx.today,
      marks: [{ studentId: s.id, status, note: '更正' }],
      mode: 'correct',
      takesClass: false,
      reporterId: ctx.person.id,
      reporterName: ctx.person.name,
      chatRef: ctx.chatRef,
    });
    if (rec[0]?.kind === 'same') refuse(`${s.name} ${dayLabel(date)}本来就是${ATTENDANCE_LABELS[status]}，无需更正。`, CORRECT_EXAMPLE);
    await answer(ctx, date, rec, new Map([[s.id, s.name]]), '更正 1 人（原记录已保留）');
  },
};

const RETURNED_EXAMPLE = '复学 张三';
const PLACED_EXAMPLE = '复学 张三 编入 三(2)班';

/** `编入 三(2)班` or `编入三(2)班` among the tokens: the class written, and the other tokens. */
function placementOf(t: string[]): { cls?: string; rest: string[] } {
  const i = t.findIndex((x) => x.startsWith('编入'));
  if (i < 0) return { rest: t };
  const inline = t[i]!.slice('编入'.length);
  const cls = inline || t[i + 1];
  if (!cls) refuse('“编入”后面请写班级。', PLACED_EXAMPLE);
  return { cls, rest: t.filter((_, j) => j !== i && (inline || j !== i + 1)) };
}

export const returned: CommandDef = {
  id: 'returned',
  words: ['复学', '已返校', 'returned'],
  roles: TEACHERS,
  where: 'any',
  mutates: true,
  summary: {
    zh: '学生回校上课了：记到校、解除预警，个案转入复学后跟踪（期满销号）；重新编班：复学 张三 编入 三(2)班',
    en: 'a student is back at school: the case is followed, then closed; re-placement: 复学 张三 编入 三(2)班',
  },
  example: RETURNED_EXAMPLE,
  async run(ctx, args) {
    const classId = ownClass(ctx);
    const { cls, rest: t } = placementOf(tokens(args));
    const date = t.map((x) => dateWord(x, ctx.today)).find((d) => d !== undefined) ?? ctx.today;
    const rest = t.filter((x) => !dateWord(x, ctx.today));
    if (rest.length !== 1) refuse('请写一名学生，可加返校日期；重新编班的加“编入 班级”。', PLACED_EXAMPLE);
    checkAttendanceDate(ctx, date, RETURNED_EXAMPLE);
    const s = await resolveStudent(ctx, rest[0]!, RETURNED_EXAMPLE);
    if (s.status !== 'enrolled' && s.status !== 'dropped_out')
      refuse(`${s.name}${STATUS_NOTE[s.status] ?? '不在籍'}，不能登记复学；学籍恢复请联系学校。`, RETURNED_EXAMPLE);
    const target = cls ? await findClassOfSchool(ctx.tx, s.class.schoolId, cls, s.class.stage) : undefined;
    if (target && !target.ok) refuse(target.reason, `复学 张三 编入 ${target.example}`);
    if (target?.ok && target.cls.id === s.classId) refuse(`这名学生本来就在${target.cls.name}，不需要“编入”。`, RETURNED_EXAMPLE);
    const rec = await recordAttendance(ctx.deps, ctx.tx, {
      classId,
      date,
      today: ctx.today,
      marks: [{ studentId: s.id, status: 'present', note: '复学' }],
      mode: 'correct',
      takesClass: false,
      reporterId: ctx.person.id,
      reporterName: ctx.person.name,
      chatRef: ctx.chatRef,
    });
    const placed = target?.ok ? target.cls : undefined;
    const caseNote = await applyReturnToCase(ctx.deps, ctx.tx, s.id, ctx.person.id, date, placed?.name);
    if (placed) await placeInClass(ctx.deps, ctx.tx, s, placed.id, date, ctx.person.id);
    const placedNote = placed ? `，已编入${placed.name}（学籍变动已记录）` : '';
    await answer(ctx, date, rec, new Map([[s.id, s.name]]), `复学 1 人${placedNote}${caseNote ? `，${caseNote}` : ''}`);
  },
};
