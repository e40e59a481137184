/** Status for every role: numbers only, safe in groups. */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { areaOf } from '../../domain/org.js';
import { bySchool, classFigures, type ClassFigures, type SchoolFigures } from '../../services/status.js';
import { checkTargets, dropoutRate, formatRate } from '../../domain/rates.js';
import { isoWeek } from '../../domain/calendar.js';
import { dayLabel } from '../../services/format.js';
import type { StageFigures, Stages } from '../../services/monthly-report.js';

/** On roll and dropped out per stage (a nine-year school has both; a stage with no classes is absent). */
export function stagesOf(classes: readonly { stage: string; onRoll: number; droppedOut: number }[]): Stages {
  const out: Stages = {};
  for (const stage of ['primary', 'junior'] as const) {
    const cs = classes.filter((c) => c.stage === stage);
    if (cs.length) out[stage] = { onRoll: cs.reduce((n, c) => n + c.onRoll, 0), droppedOut: cs.reduce((n, c) => n + c.droppedOut, 0) };
  }
  return out;
}

/** "辍学 N 人，小学辍学率 x%，初中辍学率 y%", each stage's rate checked against the county's targets. */
export function dropoutSummary(ctx: Ctx, droppedOut: number, stages: Stages | undefined): string {
  const rateOf = (st: StageFigures | undefined) =>
    st === undefined ? undefined : dropoutRate({ enrolledAtStart: st.onRoll + st.droppedOut, dropouts: st.droppedOut, transferredOut: 0, transferredIn: 0, suspended: 0 });
  const primary = rateOf(stages?.primary);
  const junior = rateOf(stages?.junior);
  const rates = [primary !== undefined ? `小学辍学率 ${formatRate(primary)}` : '', junior !== undefined ? `初中辍学率 ${formatRate(junior)}` : ''].filter(Boolean);
  const breaches = checkTargets({ ...(primary !== undefined ? { primaryDropout: primary } : {}), ...(junior !== undefined ? { juniorDropout: junior } : {}) }, ctx.deps.targets);
  return [`辍学 ${droppedOut} 人`, ...rates].join('，') + (breaches.length ? `（⚠️ ${breaches.map((b) => b.text).join('；')}）` : '');
}

/** Dropout rate per stage (a nine-year school has both), checked against the county's targets. */
export function dropoutLine(ctx: Ctx, s: SchoolFigures): string {
  return dropoutSummary(ctx, s.droppedOut, stagesOf(s.classes));
}

function classLine(c: ClassFigures, offDay: string | undefined): string {
  const a = c.absentToday;
  const absent = a.sick + a.personal + a.truant;
  const today = offDay ? `今天不上课（${offDay}）` : c.takenToday ? (absent ? `今天缺勤 ${absent}（病${a.sick} 事${a.personal} 旷${a.truant}）` : '今天全到') : '今天未报考勤';
  return `${c.className}：在籍 ${c.onRoll}，${today}，本周统计${c.weekReported ? '已报' : '未报'}${c.openAlerts ? `，预警 ${c.openAlerts}` : ''}${c.openCases ? `，个案 ${c.openCases}` : ''}${c.chronicAtRisk ? `，长期缺勤风险 ${c.chronicAtRisk}` : ''}`;
}

function schoolLine(ctx: Ctx, s: SchoolFigures, offDay: string | undefined): string {
  const n = s.classes.length;
  const today = offDay ? `今天不上课（${offDay}）` : `今天 ${s.classesTaken}/${n} 个班已报考勤，缺勤 ${s.absentToday}（旷课 ${s.truantToday}）`;
  return [
    `${s.schoolName}：在籍 ${s.onRoll} 人，${dropoutLine(ctx, s)}`,
    `  ${today}；本周统计 ${s.classesReportedWeek}/${n} 个班已报`,
    `  本月旷课 ${s.monthTruantDays} 人次；未解除预警 ${s.openAlerts}；进行中个案 ${s.openCases}${s.chronicAtRisk ? `；长期缺勤风险 ${s.chronicAtRisk} 人（本学期缺勤达 ${formatRate(ctx.deps.policy.chronicAbsenceRatio)}）` : ''}`,
  ].join('\n');
}

export const status: CommandDef = {
  id: 'status',
  words: ['情况', '本周', '学校情况', '辖区情况', '本班', 'status'],
  roles: 'all',
  where: 'any',
  mutates: false,
  summary: { zh: '查看负责范围的考勤、周统计、预警和个案数字', en: 'figures for my area: attendance, weekly counts, alerts, cases' },
  example: '情况',
  async run(ctx) {
    const area = areaOf(ctx.actor);
    if (!area) refuse('您的账号没有关联负责范围，请联系管理员在人员名单中补全。');
    const rows = await classFigures(ctx.tx, area, ctx.today, ctx.deps.calendar, ctx.deps.policy);
    const head = `${dayLabel(ctx.today)}（${isoWeek(ctx.today)}）`;
    const offDay = ctx.deps.calendar.whyNotSchoolDay(ctx.today);
    if (area.kind === 'class' || area.kind === 'school') {
      const schools = bySchool(rows);
      const body = schools.flatMap((s) => [schoolLine(ctx, s, offDay), ...(area.kind === 'school' ? s.classes.map((c) => `  · ${classLine(c, offDay)}`) : [])]);
      const missing = rows.filter((r) => !r.weekReported).map((r) => r.className);
      const tail = area.kind === 'school' && missing.length ? [`本周未报统计的班级：${missing.join('、')}`] : [];
      return ctx.reply([`${head} 情况`, ...body, ...tail].join('\n'));
    }
    const schools = bySchool(rows);
    const total = schools.reduce((n, s) => n + s.onRoll, 0);
    const scopeNote = area.kind === 'village' ? '（仅统计居住在本村的学生）' : '';
    await ctx.reply([`${head} 辖区情况${scopeNote}：${schools.length} 所学校，在籍 ${total} 人`, ...schools.map((s) => schoolLine(ctx, s, offDay))].join('\n'));
  },
};
