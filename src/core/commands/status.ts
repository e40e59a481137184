/** Status for every role: numbers only, safe in groups. */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { areaOf } from '../../domain/org.js';
import { bySchool, classFigures, type ClassFigures, type SchoolFigures } from '../../services/status.js';
import { checkTargets, dropoutRate, formatRate, formatResult, hasValue, RATE_LABELS, type RateFigures, type Targets } from '../../domain/rates.js';
import { isoWeek } from '../../domain/calendar.js';
import { dayLabel } from '../../services/format.js';
import type { StageFigures, Stages } from '../../services/monthly-report.js';
import { areaRates, type AreaRates, type UnitRates } from '../../services/unit-rates.js';
import { targetBook, type TargetBook } from '../../services/targets.js';
import { townIdOfSchool } from '../../store/place.repository.js';

/**
 * On roll and this term's net dropouts per stage (a nine-year school has both; a stage with no classes is absent):
 * the dropout rate's inputs, as the monthly form counts them.
 */
export function stagesOf(classes: readonly { stage: string; onRoll: number; droppedTerm: number; returnedTerm: number }[]): Stages {
  const out: Stages = {};
  for (const stage of ['primary', 'junior'] as const) {
    const cs = classes.filter((c) => c.stage === stage);
    if (cs.length)
      out[stage] = {
        onRoll: cs.reduce((n, c) => n + c.onRoll, 0),
        droppedOut: Math.max(
          0,
          cs.reduce((n, c) => n + c.droppedTerm - c.returnedTerm, 0),
        ),
      };
  }
  return out;
}

/** Each stage's dropout rate (domain dropoutRate: net dropouts over the roll now plus them). */
export function stageRates(stages: Stages | undefined): RateFigures {
  const rateOf = (st: StageFigures | undefined) =>
    st === undefined ? undefined : dropoutRate({ current: st.onRoll, droppedTerm: st.droppedOut, returnedTerm: 0 });
  const primary = rateOf(stages?.primary);
  const junior = rateOf(stages?.junior);
  return { ...(primary !== undefined ? { primaryDropout: primary } : {}), ...(junior !== undefined ? { juniorDropout: junior } : {}) };
}

/** "（⚠️ 初中辍学率 3.17%，超过目标 1.80%（一票否决））" for the figures that breach the unit's own targets, or nothing. */
export function breachNote(figures: RateFigures, targets: Targets): string {
  const b = checkTargets(figures, targets);
  return b.length ? `（${b.map((x) => `⚠️ ${x.text}`).join('；')}）` : '';
}

/** "辍学 N 人，小学辍学率 x%，初中辍学率 y%", each stage's rate checked against the unit's targets (the county's by default). */
export function dropoutSummary(ctx: Ctx, droppedOut: number, stages: Stages | undefined, targets: Targets = ctx.deps.targets): string {
  const f = stageRates(stages);
  const rates = (['primaryDropout', 'juniorDropout'] as const).filter((k) => f[k] !== undefined).map((k) => `${RATE_LABELS[k]} ${formatRate(f[k])}`);
  return [`辍学 ${droppedOut} 人`, ...rates].join('，') + breachNote(f, targets);
}

/** Dropout rate per stage (a nine-year school has both), checked against the school's targets. */
export function dropoutLine(ctx: Ctx, s: SchoolFigures, targets: Targets = ctx.deps.targets): string {
  return dropoutSummary(ctx, s.droppedOut, stagesOf(s.classes), targets);
}

/** A school's or town's own targets (school → town → county). */
export async function unitTargets(ctx: Ctx, unit: { kind: 'school'; schoolId: number } | { kind: 'town'; townId: number }): Promise<Targets> {
  const book = await targetBook(ctx.tx, ctx.deps.targets);
  if (unit.kind === 'town') return book.town(unit.townId);
  return book.school(unit.schoolId, await townIdOfSchool(ctx.tx, unit.schoolId));
}

/** "九年义务教育巩固率 86.00%，小学适龄儿童入学率 未导入（…）" for the figures that apply to the unit, checked against its targets. */
export function unitRatesLine(r: UnitRates | undefined, targets: Targets | undefined): string {
  if (!r) return '';
  const keys = (['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const).filter((k) => r[k] !== undefined);
  if (!keys.length) return '';
  const figures: RateFigures = {};
  for (const k of keys) if (hasValue(r[k])) figures[k] = r[k].value;
  return keys.map((k) => `${RATE_LABELS[k]} ${formatResult(r[k]!)}`).join('，') + (targets ? breachNote(figures, targets) : '');
}

/** A town's or the county's own line: its stages' dropout rates and its unit rates, against its own targets. */
function unitLine(label: string, rows: readonly ClassFigures[], r: UnitRates | undefined, targets: Targets): string {
  const f = stageRates(stagesOf(rows));
  const dropout = (['primaryDropout', 'juniorDropout'] as const).filter((k) => f[k] !== undefined).map((k) => `${RATE_LABELS[k]} ${formatRate(f[k])}`);
  const rest = unitRatesLine(r, undefined);
  const figures: RateFigures = { ...f };
  for (const k of ['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const) if (hasValue(r?.[k])) figures[k] = (r![k] as { value: number }).value;
  return `${label}：${[...dropout, ...(rest ? [rest] : [])].join('，') || '暂无数字'}${breachNote(figures, targets)}`;
}

function classLine(c: ClassFigures, offDay: string | undefined): string {
  const a = c.absentToday;
  const absent = a.sick + a.personal + a.truant;
  const today = offDay
    ? `今天不上课（${offDay}）`
    : c.takenToday
      ? absent
        ? `今天缺勤 ${absent}（病${a.sick} 事${a.personal} 旷${a.truant}）`
        : '今天全到'
      : '今天未报考勤';
  return `${c.className}：在籍 ${c.onRoll}，${today}，本周统计${c.weekReported ? '已报' : '未报'}${c.openAlerts ? `，预警 ${c.openAlerts}` : ''}${c.openCases ? `，个案 ${c.openCases}` : ''}${c.chronicAtRisk ? `，长期缺勤风险 ${c.chronicAtRisk}` : ''}`;
}

function schoolLine(ctx: Ctx, s: SchoolFigures, offDay: string | undefined, book: TargetBook, rates: AreaRates): string {
  const n = s.classes.length;
  const today = offDay ? `今天不上课（${offDay}）` : `今天 ${s.classesTaken}/${n} 个班已报考勤，缺勤 ${s.absentToday}（旷课 ${s.truantToday}）`;
  const targets = book.school(s.schoolId, rates.townOfSchool.get(s.schoolId) ?? -1);
  const cohort = unitRatesLine(rates.schools.get(s.schoolId), targets);
  return [
    `${s.schoolName}：在籍 ${s.onRoll} 人，${dropoutLine(ctx, s, targets)}${cohort ? `；${cohort}` : ''}`,
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
    const [rows, book, rates] = await Promise.all([
      classFigures(ctx.tx, area, ctx.today, ctx.deps.calendar, ctx.deps.policy, ctx.deps.config.TERMS),
      targetBook(ctx.tx, ctx.deps.targets),
      areaRates(ctx.tx, area, ctx.today),
    ]);
    const head = `${dayLabel(ctx.today)}（${isoWeek(ctx.today)}）`;
    const offDay = ctx.deps.calendar.whyNotSchoolDay(ctx.today);
    if (area.kind === 'class' || area.kind === 'school') {
      const schools = bySchool(rows);
      const body = schools.flatMap((s) => [
        schoolLine(ctx, s, offDay, book, rates),
        ...(area.kind === 'school' ? s.classes.map((c) => `  · ${classLine(c, offDay)}`) : []),
      ]);
      const missing = rows.filter((r) => !r.weekReported).map((r) => r.className);
      const tail = area.kind === 'school' && missing.length ? [`本周未报统计的班级：${missing.join('、')}`] : [];
      return ctx.reply([`${head} 情况`, ...body, ...tail].join('\n'));
    }
    const schools = bySchool(rows);
    const total = schools.reduce((n, s) => n + s.onRoll, 0);
    const scopeNote = area.kind === 'village' ? '（仅统计居住在本村的学生）' : '';
    const units: string[] = [];
    if (area.kind === 'county') {
      units.push(unitLine('全县', rows, rates.county, book.county));
      for (const [townId, name] of rates.townNames)
        units.push(
          unitLine(
            name,
            rows.filter((r) => rates.townOfSchool.get(r.schoolId) === townId),
            rates.towns.get(townId),
            book.town(townId),
          ),
        );
    } else if (area.kind === 'town') {
      units.push(unitLine(rates.townNames.get(area.townId) ?? '全镇', rows, rates.towns.get(area.townId), book.town(area.townId)));
    } else if (area.kind === 'village') {
      const line = unitRatesLine(rates.villages.get(area.villageId), undefined);
      if (line) units.push(`本村：${line}`);
    }
    await ctx.reply(
      [
        `${head} 辖区情况${scopeNote}：${schools.length} 所学校，在籍 ${total} 人`,
        ...units,
        ...schools.map((s) => schoolLine(ctx, s, offDay, book, rates)),
        ...(area.kind === 'village'
          ? []
          : [
              `说明：辍学率为本学期数；${rates.schoolYear} 学年初三对应 ${rates.entryYear} 年一年级入学。⚠️ 标出未达本单位目标的指标，（一票否决）者影响年度评优。`,
            ]),
      ].join('\n'),
    );
  },
};
