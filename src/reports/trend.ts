/**
 * What the trend charts show: a school's weekly attendance rate (from the weekly class counts) and its open cases
 * over the term; a town's schools side by side, dropout rate per stage against the county's targets.
 */
import type { Attachment } from '../core/chat-port.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr } from '../domain/types.js';
import { addDays, isoWeek, weekday } from '../domain/calendar.js';
import { schoolReportModels } from './monthly-model.js';
import { schoolById, schoolCountsInForce, townById } from '../store/trend.repository.js';
import { casesInArea } from '../store/area-cases.repository.js';
import { barChartSvg, lineChartSvg, renderPng } from './charts.js';
import { saveReport } from './files.js';
import { formatRate } from '../domain/rates.js';
import { targetBook } from '../services/targets.js';

export interface SchoolTrend {
  schoolName: string;
  weeks: string[];
  attendance: (number | null)[];
  openCases: number[];
}

export async function schoolTrend(deps: Deps, tx: Tx, schoolId: number, today: DateStr): Promise<SchoolTrend> {
  const school = await schoolById(tx, schoolId);
  const term = deps.calendar.termOf(today);
  const from = term?.start ?? addDays(today, -120);
  const schoolDays = deps.calendar.schoolDaysBetween(from, today);
  const weeks = [...new Set(schoolDays.map(isoWeek))];
  const totals = new Map<string, { enrolled: number; present: number }>();
  for (const c of await schoolCountsInForce(tx, schoolId, weeks)) {
    if (!c.enrolled || c.present == null) continue;
    const t = totals.get(c.week) ?? { enrolled: 0, present: 0 };
    t.enrolled += c.enrolled;
    t.present += c.present;
    totals.set(c.week, t);
  }
  const attendance = weeks.map((w) => {
    const t = totals.get(w);
    return t ? t.present / t.enrolled : null;
  });
  // each case's open span, read once: from openedOn until it was returned or withdrawn
  const spans = (await casesInArea(tx, { kind: 'school', schoolId }, false)).map((c) => {
    const end = c.events
      .map((e) => JSON.parse(e.payload) as { type: string; at: string; returnedOn?: string })
      .find((e) => e.type === 'return' || e.type === 'withdraw');
    return { openedOn: c.openedOn, closedOn: end ? (end.returnedOn ?? end.at) : '9999' };
  });
  const openCases = weeks.map((w) => {
    const any = schoolDays.find((d) => isoWeek(d) === w)!;
    const sunday = addDays(any, 7 - weekday(any));
    return spans.filter((c) => c.openedOn <= sunday && !(c.closedOn <= sunday)).length;
  });
  return { schoolName: school.name, weeks, attendance, openCases };
}

export function schoolTrendPng(t: SchoolTrend): Buffer {
  return renderPng(
    lineChartSvg(
      `${t.schoolName} 本学期每周出勤率与进行中个案`,
      t.weeks.map((w) => `第${Number(w.slice(-2))}周`),
      [
        { name: '出勤率（周统计）', values: t.attendance, unit: 'rate' },
        { name: '进行中个案（件）', values: t.openCases, unit: 'count' },
      ],
    ),
  );
}

/** Each school of a town: this term's dropout rate per stage (as on the form and in 情况), against the town's own limits. */
export async function townComparisonPng(deps: Deps, tx: Tx, townId: number, today: DateStr): Promise<{ townName: string; png: Buffer }> {
  const town = await townById(tx, townId);
  const [schools, book] = await Promise.all([
    schoolReportModels(deps, tx, { kind: 'town', townId }, today.slice(0, 7), today, { cases: false }),
    targetBook(tx, deps.targets),
  ]);
  const groups = schools.map((m) => ({ label: m.schoolName, bars: m.stages.map((st) => ({ name: `${st.label}辍学率`, value: st.figures.dropoutRate })) }));
  const limits = book.town(townId);
  const png = renderPng(
    barChartSvg(`${town.name} 各校本学期辍学率与控制目标`, groups, [
      { name: `小学 ${formatRate(limits.primaryDropoutMax)}`, value: limits.primaryDropoutMax },
      { name: `初中 ${formatRate(limits.juniorDropoutMax)}`, value: limits.juniorDropoutMax },
    ]),
  );
  return { townName: town.name, png };
}

export function savePng(deps: Deps, filename: string, png: Buffer): Attachment {
  return saveReport(deps.config.REPORTS_DIR, String(deps.clock.now().getTime()), filename, png, 'image/png');
}
