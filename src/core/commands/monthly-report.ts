/**
 * The monthly report (学校每月一统计): a principal confirms the school's report (due to the town by the 23rd), a
 * town official confirms the town's aggregate of its confirmed schools (due to the county by the 25th); 月报进度
 * shows who has confirmed, within the asker's area. Figures only, never a student's name: safe in group chats.
 */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { FORM_FORMAT_SET } from '../../domain/labels.js';
import { areaOf } from '../../domain/org.js';
import { parseSchoolSnapshot, reportProgress as progressOf, townAggregate, type TownProgress } from '../../services/monthly-report.js';
import { createSchoolConfirmation, createTownConfirmation, schoolConfirmation, townConfirmation } from '../../store/monthly-report.repository.js';
import { personById } from '../../store/org.repository.js';
import { localParts, clockLabel } from '../../domain/zoned-time.js';
import { dayLabel } from '../../services/format.js';
import { monthlyReportFiles, type ReportUnit } from '../../reports/monthly-report-file.js';
import { sendToPerson } from '../../services/messenger.js';
import { dropoutLine, dropoutSummary, unitTargets } from './status.js';
import { monthState, reconfirm, reopenedSchools, schoolSnapshot, snapshotDay } from '../../services/month-reopen.js';

const MONTH_ARGS = [{ name: 'month', kind: 'month', title: '月份', optional: true }] as const satisfies readonly ArgSpec[];
const FORM_ARGS = [
  { name: 'format', kind: 'label', set: FORM_FORMAT_SET, title: '格式', optional: true, at: 'any' },
  { name: 'month', kind: 'month', title: '月份', optional: true },
] as const satisfies readonly ArgSpec[];

/** `2026-11` (also 2026-1, 2026/11, 2026年11月); none given: this month. */
async function monthArg(ctx: Ctx, args: string, word: string): Promise<string> {
  const { month } = await readArgs(ctx, MONTH_ARGS, args, `${word} ${ctx.today.slice(0, 7)}`);
  return month ?? ctx.today.slice(0, 7);
}

async function confirmableMonth(ctx: Ctx, args: string): Promise<string> {
  const month = await monthArg(ctx, args, '确认月报');
  const thisMonth = ctx.today.slice(0, 7);
  if (month > thisMonth) refuse(`${month} 还没有到，不能确认未来月份的月报。`, `确认月报 ${thisMonth}`);
  // A vacation month has no form to confirm (and none to send with the confirmation).
  if (!inTerm(ctx, month)) refuse(`${month} 不在任何学期内（寒暑假），没有月报需要确认。`, `确认月报 ${thisMonth}`);
  return month;
}

/** "张三于11月20日 10:00" in the county's timezone. */
async function byWhomWhen(ctx: Ctx, c: { confirmedById: number; confirmedAt: Date }): Promise<string> {
  const who = await personById(ctx.tx, c.confirmedById);
  const p = localParts(c.confirmedAt, ctx.deps.config.TIMEZONE);
  return `${who?.name ?? ''}于${dayLabel(p.date)} ${clockLabel(p.minutes)}`;
}

export const confirmReport: CommandDef = {
  id: 'confirm_report',
  words: ['确认月报', '月报确认', 'confirm_report'],
  roles: ['principal', 'town'],
  where: 'any',
  mutates: true,
  summary: { zh: '确认本月控辍保学月报（学校23日前报镇，镇25日前报县）', en: 'confirm the monthly report (schools by the 23rd, towns by the 25th)' },
  example: '确认月报 2026-11',
  args: MONTH_ARGS,
  async run(ctx, args) {
    const month = await confirmableMonth(ctx, args);
    return ctx.actor.role === 'town' ? confirmTown(ctx, month) : confirmSchool(ctx, month);
  },
};

async function confirmSchool(ctx: Ctx, month: string): Promise<void> {
  const schoolId = ctx.actor.schoolId;
  if (schoolId == null) refuse('您的账号没有关联学校，请联系管理员在人员名单中补全。');
  const done = await schoolConfirmation(ctx.tx, schoolId, month);
  const reopened = done ? (await monthState(ctx.tx, schoolId, month)).open : undefined;
  if (done && !reopened) refuse(`${month} 月报已由${await byWhomWhen(ctx, done)}确认，不能重复确认。如需更正请联系镇教育办。`, `月报进度 ${month}`);
  const figures = await schoolSnapshot(ctx.deps, ctx.tx, schoolId, month, snapshotDay(month, ctx.today));
  if (!figures) refuse('本校没有班级数据，无法生成月报。');
  const { school: s, snapshot, missingWeeks } = figures;
  const confirmation = { schoolId, month, figures: snapshot, confirmedById: ctx.person.id, chatRef: ctx.chatRef, confirmedAt: ctx.now };
  // A reopened month: a re-confirmation is recorded next to the first one, which stays as it was.
  const written = reopened ? await reconfirm(ctx.tx, { ...confirmation, reopeningId: reopened.id }) : await createSchoolConfirmation(ctx.tx, confirmation);
  if (!written) refuse(`${month} 月报刚刚已由他人确认，不能重复确认。`, `月报进度 ${month}`);
  await ctx.reply(
    [
      `已${reopened ? '重新' : ''}确认 ${s.schoolName} ${month} 控辍保学月报：`,
      `在籍 ${s.onRoll} 人，${dropoutLine(ctx, s, await unitTargets(ctx, { kind: 'school', schoolId }))}，本月旷课 ${s.monthTruantDays} 人次，进行中个案 ${s.openCases} 件。`,
      ...(reopened ? [`（首次确认由${await byWhomWhen(ctx, done!)}作出，仍保留备查。）`] : []),
      missingWeeks.length ? `注意：${missingWeeks.join('、')} 本月没有周统计。` : '各班本月周统计齐全。',
      '月报须在每月23日前书面报镇政府。',
    ].join('\n'),
  );
  // The printable form (it lists the dropout cases by name): by direct message to the principal only.
  await sendReportFiles(ctx, { kind: 'school', schoolId }, month, '镇政府');
}

export const reportForm: CommandDef = {
  id: 'report_form',
  words: ['月报表', '月报表格', 'report_form'],
  roles: ['principal', 'town', 'county'],
  where: 'dm',
  mutates: false,
  summary: {
    zh: '生成本校（镇、县：汇总）月报表（Excel；加 pdf 为可打印的 PDF），不必先确认',
    en: 'the monthly report form (towns, county: the aggregate) as .xlsx or pdf',
  },
  example: '月报表 2026-11 pdf',
  args: FORM_ARGS,
  async run(ctx, args) {
    const thisMonth = ctx.today.slice(0, 7);
    const read = await readArgs(ctx, FORM_ARGS, args, `月报表 ${thisMonth}`);
    const format = read.format?.value ?? 'xlsx';
    const month = read.month ?? thisMonth;
    if (month > thisMonth) refuse(`月份“${month}”不对（不能是未来月份）。`, `月报表 ${thisMonth}`);
    if (!inTerm(ctx, month)) refuse(`${month} 不在任何学期内（寒暑假），没有月报表。`, `月报表 ${thisMonth}`);
    // principal → school, town → town, county → county: the actor's area is the report's unit
    const unit = areaOf(ctx.actor) as ReportUnit | undefined;
    if (!unit) refuse('您的账号没有关联学校或乡镇，请联系管理员在人员名单中补全。');
    const files = await monthlyReportFiles(ctx.deps, ctx.tx, unit, month, ctx.today, [format]);
    const t = files.model.total;
    await ctx.reply(
      `${files.model.title} ${month}：期初在籍 ${t.atTermStart}，现在籍 ${t.current}，本学期辍学 ${t.droppedTerm}，复学 ${t.returnedTerm}。见附件。`,
      { attachment: files.attachments[0]! },
    );
  },
};

/** The form covers the term that holds the month's last day so far (or its first day): a vacation month has none. */
function inTerm(ctx: Ctx, month: string): boolean {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const lastDay = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  const asOf = lastDay < ctx.today ? lastDay : ctx.today;
  return ctx.deps.calendar.termOf(asOf) !== undefined || ctx.deps.calendar.termOf(`${month}-01`) !== undefined;
}

async function confirmTown(ctx: Ctx, month: string): Promise<void> {
  const townId = ctx.actor.townId;
  if (townId == null) refuse('您的账号没有关联乡镇，请联系管理员在人员名单中补全。');
  const done = await townConfirmation(ctx.tx, townId, month);
  if (done) refuse(`本镇 ${month} 月报（全镇汇总）已由${await byWhomWhen(ctx, done)}确认，不能重复确认。如需更正请联系县教育局。`, `月报进度 ${month}`);
  const [town] = await progressOf(ctx.tx, month, { kind: 'town', townId });
  if (!town) refuse('本镇没有学校班级数据，无法汇总月报。', `月报进度 ${month}`);
  const reopened = await reopenedSchools(ctx.tx, month);
  const open = town.schools.filter((s) => !s.confirmation || reopened.has(s.schoolId));
  if (open.length) {
    refuse(
      `${town.townName}还有 ${open.length} 所学校没有确认 ${month} 月报：${open.map((s) => `${s.schoolName}${reopened.has(s.schoolId) ? '（待重新确认）' : ''}`).join('、')}。请先督促校长确认（学校须在每月23日前报镇），全部确认后才能汇总全镇月报。`,
      `月报进度 ${month}`,
    );
  }
  const agg = townAggregate(
    month,
    town.schools.map((s) => ({ schoolId: s.schoolId, schoolName: s.schoolName, snapshot: parseSchoolSnapshot(s.confirmation!.figures, month) })),
  );
  const written = await createTownConfirmation(ctx.tx, {
    townId,
    month,
    figures: agg,
    confirmedById: ctx.person.id,
    chatRef: ctx.chatRef,
    confirmedAt: ctx.now,
  });
  if (!written) refuse(`本镇 ${month} 月报（全镇汇总）刚刚已由他人确认，不能重复确认。`, `月报进度 ${month}`);
  await ctx.reply(
    [
      `已确认 ${town.townName} ${month} 控辍保学月报（全镇汇总，${agg.schools.length} 所学校）：`,
      `全镇在籍 ${agg.onRoll} 人，${dropoutSummary(ctx, agg.droppedOut, agg.stages, await unitTargets(ctx, { kind: 'town', townId }))}，本月旷课 ${agg.monthTruantDays} 人次，进行中个案 ${agg.openCases} 件。`,
      '各校：',
      ...agg.schools.map(
        (s) => `· ${s.school}：在籍 ${s.onRoll} 人，辍学 ${s.droppedOut} 人，本月旷课 ${s.monthTruantDays} 人次，进行中个案 ${s.openCases} 件`,
      ),
      '全镇汇总须在每月25日前报县教育局。',
    ].join('\n'),
  );
  await sendReportFiles(ctx, { kind: 'town', townId }, month, '县教育局');
}

/** The printable forms go by direct message only: they list the dropout cases by name. */
async function sendReportFiles(ctx: Ctx, unit: ReportUnit, month: string, to: string): Promise<void> {
  const files = await monthlyReportFiles(ctx.deps, ctx.tx, unit, month, ctx.today, ['xlsx', 'pdf']);
  for (const attachment of files.attachments) {
    const what = attachment.filename.endsWith('.pdf') ? `PDF，可直接打印、签字盖章后报${to}` : 'Excel，可修改格式后打印';
    await sendToPerson(ctx.tx, ctx.now, ctx.person.id, `${month} 月报表（${what}）见附件。`, { attachment });
  }
}

export const reportProgress: CommandDef = {
  id: 'report_status',
  words: ['月报进度', 'report_status'],
  roles: ['principal', 'town', 'county'],
  where: 'any',
  mutates: false,
  summary: { zh: '查看月报哪些学校、乡镇已确认、哪些还没有', en: 'which schools and towns have confirmed the monthly report' },
  example: '月报进度 2026-11',
  args: MONTH_ARGS,
  async run(ctx, args) {
    const month = await monthArg(ctx, args, '月报进度');
    if (ctx.actor.role === 'principal') return schoolProgress(ctx, month);
    if (ctx.actor.role === 'town') {
      const townId = ctx.actor.townId;
      if (townId == null) refuse('您的账号没有关联乡镇，请联系管理员在人员名单中补全。');
      const towns = await progressOf(ctx.tx, month, { kind: 'town', townId });
      if (towns.length === 0) refuse('本镇没有学校班级数据，不需要汇总月报。');
      return ctx.reply(await progressText(ctx, month, towns));
    }
    const towns = await progressOf(ctx.tx, month, { kind: 'county' });
    if (towns.length === 0) refuse('全县还没有学校班级数据。');
    await ctx.reply(await progressText(ctx, month, towns));
  },
};

async function schoolProgress(ctx: Ctx, month: string): Promise<void> {
  const schoolId = ctx.actor.schoolId;
  if (schoolId == null) refuse('您的账号没有关联学校，请联系管理员在人员名单中补全。');
  const [town] = await progressOf(ctx.tx, month, { kind: 'school', schoolId });
  const s = town?.schools[0];
  if (!s) refuse('本校没有班级数据，不需要报月报。');
  const reopened = (await reopenedSchools(ctx.tx, month)).has(s.schoolId);
  await ctx.reply(
    s.confirmation && reopened
      ? `${s.schoolName} ${month} 月报：待重新确认（${await byWhomWhen(ctx, s.confirmation)}确认后记录又有改动）。重新确认请回复：确认月报 ${month}`
      : s.confirmation
        ? `${s.schoolName} ${month} 月报：已由${await byWhomWhen(ctx, s.confirmation)}确认。`
        : `${s.schoolName} ${month} 月报：未确认。确认请回复：确认月报 ${month}`,
  );
}

/** One block per town: the town aggregate's state, then each school's. A county official also gets the towns' summary first. */
async function progressText(ctx: Ctx, month: string, towns: TownProgress[]): Promise<string> {
  const lines = [`${month} 月报进度：`];
  if (ctx.actor.role === 'county') {
    const done = towns.filter((t) => t.confirmation).map((t) => t.townName);
    const open = towns.filter((t) => !t.confirmation).map((t) => t.townName);
    lines.push(`已确认全镇汇总的镇（${done.length}/${towns.length}）：${done.join('、') || '无'}`);
    if (open.length) lines.push(`还没有确认的镇：${open.join('、')}`);
  }
  const reopened = await reopenedSchools(ctx.tx, month);
  const state = async (s: TownProgress['schools'][number]) =>
    !s.confirmation
      ? '未确认'
      : reopened.has(s.schoolId)
        ? `待重新确认（${await byWhomWhen(ctx, s.confirmation)}确认后记录又有改动）`
        : `已确认（${await byWhomWhen(ctx, s.confirmation)}）`;
  for (const t of towns) {
    const confirmed = t.schools.filter((s) => s.confirmation && !reopened.has(s.schoolId)).length;
    lines.push(
      `${t.townName} 全镇汇总：${t.confirmation ? `已确认（${await byWhomWhen(ctx, t.confirmation)}）` : '未确认'}；学校已确认 ${confirmed}/${t.schools.length}：`,
    );
    for (const s of t.schools) lines.push(`· ${s.schoolName}：${await state(s)}`);
  }
  if (ctx.actor.role === 'town') {
    const [t] = towns;
    if (t && !t.confirmation) {
      const open = t.schools.filter((s) => !s.confirmation || reopened.has(s.schoolId)).length;
      lines.push(
        open
          ? `还有 ${open} 所学校未确认（学校须在每月23日前报镇）；全部确认后请回复：确认月报 ${month}`
          : `各校均已确认，请回复：确认月报 ${month}（须在每月25日前报县教育局）`,
      );
    }
  }
  return lines.join('\n');
}
