/**
 * The monthly report (学校每月一统计): a principal confirms the school's report (due to the town by the 23rd), a
 * town official confirms the town's aggregate of its confirmed schools (due to the county by the 25th); 月报进度
 * shows who has confirmed, within the asker's area.
 */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { bySchool, classFigures } from '../../services/status.js';
import { schoolsNotConfirmed, townsNotConfirmed } from '../../services/monthly-report.js';
import { personById } from '../../store/org.repository.js';
import { localParts, clockLabel } from '../../domain/zoned-time.js';
import { dayLabel } from '../../services/format.js';
import { dropoutLine } from './status.js';

interface SchoolSnapshot {
  month: string;
  onRoll: number;
  droppedOut: number;
  monthTruantDays: number;
  openCases: number;
}

function monthArg(ctx: Ctx, args: string): string {
  const month = args.trim() || ctx.today.slice(0, 7);
  if (!/^\d{4}-\d{2}$/.test(month)) refuse(`月份“${args}”格式不对。`, `确认月报 ${ctx.today.slice(0, 7)}`);
  if (month > ctx.today.slice(0, 7)) refuse('不能确认未来月份的月报。', `确认月报 ${ctx.today.slice(0, 7)}`);
  return month;
}

async function when(ctx: Ctx, byId: number, at: Date): Promise<string> {
  const who = await personById(ctx.tx, byId);
  const p = localParts(at, ctx.deps.config.TIMEZONE);
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
  async run(ctx, args) {
    const month = monthArg(ctx, args);
    if (ctx.actor.role === 'town') return confirmTown(ctx, month);
    const schoolId = ctx.actor.schoolId;
    if (schoolId == null) refuse('您的账号没有关联学校。');
    const done = await ctx.tx.monthlyConfirmation.findUnique({ where: { schoolId_month: { schoolId, month } } });
    if (done) refuse(`${month} 月报已由${await when(ctx, done.confirmedById, done.confirmedAt)}确认，不能重复确认。如需更正请联系镇教育办。`);
    const rows = await classFigures(ctx.tx, { kind: 'school', schoolId }, month === ctx.today.slice(0, 7) ? ctx.today : `${month}-28`, ctx.deps.calendar, ctx.deps.policy);
    const [s] = bySchool(rows);
    if (!s) refuse('本校没有班级数据，无法生成月报。');
    const missingWeeks = rows.filter((r) => r.weeksReportedInMonth === 0).map((r) => r.className);
    const snapshot = { month, onRoll: s.onRoll, droppedOut: s.droppedOut, monthTruantDays: s.monthTruantDays, openCases: s.openCases, classes: rows.map((r) => ({ class: r.className, onRoll: r.onRoll, droppedOut: r.droppedOut, weeksReported: r.weeksReportedInMonth, absences: r.monthAbsences })) };
    await ctx.tx.monthlyConfirmation.create({ data: { schoolId, month, figures: JSON.stringify(snapshot), confirmedById: ctx.person.id, chatRef: ctx.chatRef, confirmedAt: ctx.now } });
    await ctx.reply(
      [
        `已确认 ${s.schoolName} ${month} 控辍保学月报：`,
        `在籍 ${s.onRoll} 人，${dropoutLine(ctx, s)}，本月旷课 ${s.monthTruantDays} 人次，进行中个案 ${s.openCases} 件。`,
        missingWeeks.length ? `注意：${missingWeeks.join('、')} 本月没有周统计。` : '各班本月周统计齐全。',
        '月报须在每月23日前书面报镇政府。',
      ].join('\n'),
    );
  },
};

async function confirmTown(ctx: Ctx, month: string): Promise<void> {
  const townId = ctx.actor.townId;
  if (townId == null) refuse('您的账号没有关联乡镇。');
  const done = await ctx.tx.townConfirmation.findUnique({ where: { townId_month: { townId, month } } });
  if (done) refuse(`本镇 ${month} 月报已由${await when(ctx, done.confirmedById, done.confirmedAt)}确认，不能重复确认。如需更正请联系县教育局。`);
  const open = (await schoolsNotConfirmed(ctx.tx, month)).filter((s) => s.townId === townId);
  if (open.length) refuse(`还有 ${open.length} 所学校没有确认 ${month} 月报：${open.map((s) => s.schoolName).join('、')}。请先督促校长确认，全部确认后再汇总。可回复“月报进度”查看。`, '月报进度');
  const town = await ctx.tx.town.findUniqueOrThrow({ where: { id: townId } });
  const townSchools = await ctx.tx.school.findMany({ where: { townId, classes: { some: {} } }, orderBy: { id: 'asc' } });
  const confirmations = await ctx.tx.monthlyConfirmation.findMany({ where: { month, schoolId: { in: townSchools.map((s) => s.id) } }, orderBy: { schoolId: 'asc' } });
  if (confirmations.length === 0) refuse('本镇没有学校数据，无法汇总月报。');
  const schools = confirmations.map((c) => ({ school: townSchools.find((s) => s.id === c.schoolId)!.name, ...(JSON.parse(c.figures) as SchoolSnapshot) }));
  const sum = (k: keyof Omit<SchoolSnapshot, 'month'>) => schools.reduce((n, s) => n + s[k], 0);
  const total = { onRoll: sum('onRoll'), droppedOut: sum('droppedOut'), monthTruantDays: sum('monthTruantDays'), openCases: sum('openCases') };
  await ctx.tx.townConfirmation.create({ data: { townId, month, figures: JSON.stringify({ month, ...total, schools }), confirmedById: ctx.person.id, chatRef: ctx.chatRef, confirmedAt: ctx.now } });
  await ctx.reply(
    [
      `已确认 ${town.name} ${month} 控辍保学月报（全镇汇总，${schools.length} 所学校）：`,
      `在籍 ${total.onRoll} 人，辍学 ${total.droppedOut} 人，本月旷课 ${total.monthTruantDays} 人次，进行中个案 ${total.openCases} 件。`,
      ...schools.map((s) => `· ${s.school}：在籍 ${s.onRoll}，辍学 ${s.droppedOut}，旷课 ${s.monthTruantDays} 人次，个案 ${s.openCases}`),
      '月报须在每月25日前报县教育局。',
    ].join('\n'),
  );
}

export const reportProgress: CommandDef = {
  id: 'report_status',
  words: ['月报进度', 'report_status'],
  roles: ['principal', 'town', 'county'],
  where: 'any',
  mutates: false,
  summary: { zh: '查看本月月报哪些学校、乡镇已确认', en: 'which schools and towns have confirmed the monthly report' },
  example: '月报进度 2026-11',
  async run(ctx, args) {
    const month = args.trim() || ctx.today.slice(0, 7);
    if (!/^\d{4}-\d{2}$/.test(month)) refuse(`月份“${args}”格式不对。`, `月报进度 ${ctx.today.slice(0, 7)}`);
    const openSchools = await schoolsNotConfirmed(ctx.tx, month);
    const openTowns = new Set((await townsNotConfirmed(ctx.tx, month)).map((t) => t.townId));
    const schools = await ctx.tx.school.findMany({ where: { classes: { some: {} } }, include: { town: true }, orderBy: [{ townId: 'asc' }, { id: 'asc' }] });
    const mark = (id: number) => (openSchools.some((s) => s.schoolId === id) ? '未确认' : '已确认');
    if (ctx.actor.role === 'principal') {
      const s = schools.find((x) => x.id === ctx.actor.schoolId);
      if (!s) refuse('您的账号没有关联学校。');
      return ctx.reply(`${s.name} ${month} 月报：${mark(s.id)}${mark(s.id) === '未确认' ? `。确认请回复：确认月报 ${month}` : '。'}`);
    }
    const towns = [...new Map(schools.map((s) => [s.townId, s.town])).values()].filter((t) => ctx.actor.role === 'county' || t.id === ctx.actor.townId);
    if (towns.length === 0) refuse('您的账号没有关联乡镇。');
    const lines = [`${month} 月报进度：`];
    for (const t of towns) {
      lines.push(`${t.name}（全镇汇总${openTowns.has(t.id) ? '未确认' : '已确认'}）：`);
      for (const s of schools.filter((x) => x.townId === t.id)) lines.push(`· ${s.name}：${mark(s.id)}`);
    }
    await ctx.reply(lines.join('\n'));
  },
};
