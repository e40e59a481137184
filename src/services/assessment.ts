/**
 * The annual assessment (年度考核) of a school year for the county: per school and per town, the school year's dropout
 * rate per stage, the nine-year consolidation and enrolment rates where they apply, each against the unit's own
 * targets; inspections, failures and 黄牌; alerts that climbed to the town and the county; fault records; 一票否决.
 * Every figure is one set-based read for the whole county, joined here by school.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr, Stage } from '../domain/types.js';
import {
  dropoutRate,
  RATE_DEFINITIONS,
  RATE_LABELS,
  TARGET_RULE,
  termDropoutCounts,
  VETO_FIGURES,
  type RateKey,
  type RateResult,
  type TermCounts,
} from '../domain/rates.js';
import { instantAt } from '../domain/zoned-time.js';
import { classesInArea, caseEventsByClass, studentsByClassAndStatus } from '../store/status.repository.js';
import { escalationsBySchool } from '../store/assessment.repository.js';
import { schoolsOf } from '../store/rates.repository.js';
import { areaRates, type UnitRates } from './unit-rates.js';
import { targetBook } from './targets.js';
import { inspectionSummary } from './inspection-results.js';
import { faultsBySchool } from './faults.js';
import { schoolYearLabel, schoolYearOf, schoolYearRange } from './inspections.js';
import { conclusionOf, CONCLUSION_RULE, judge, type AssessmentModel, type AssessmentRow } from '../reports/assessment-model.js';
import { countyName as countyNameRow } from '../store/place.repository.js';

export class AssessmentYearError extends Error {}

const DAY_MS = 86_400_000;
const nextDay = (d: DateStr): DateStr => new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** "2026" → the school year 2026 (2026–2027), if it has begun by today; else a zh-CN reason. */
export function assessmentYear(raw: string, today: DateStr): number | { error: string } {
  const current = Number(schoolYearOf(today));
  const t = raw.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{4}$/.test(t)) return { error: `学年“${raw}”不对：写学年开始的年份，如 ${current} 表示 ${schoolYearLabel(String(current))}。` };
  const y = Number(t);
  if (y > current) return { error: `${schoolYearLabel(t)}还没有开始（今天属于${schoolYearLabel(String(current))}）。` };
  if (y < current - 20) return { error: `${schoolYearLabel(t)}太早了，系统里没有那时的记录（今天属于${schoolYearLabel(String(current))}）。` };
  return y;
}

type StageCounts = Record<Stage, TermCounts & { classes: number }>;
const zero = (): StageCounts => ({
  primary: { current: 0, droppedTerm: 0, returnedTerm: 0, classes: 0 },
  junior: { current: 0, droppedTerm: 0, returnedTerm: 0, classes: 0 },
});

function addInto(a: StageCounts, b: StageCounts): void {
  for (const st of ['primary', 'junior'] as const) {
    a[st].current += b[st].current;
    a[st].droppedTerm += b[st].droppedTerm;
    a[st].returnedTerm += b[st].returnedTerm;
    a[st].classes += b[st].classes;
  }
}

/** 辍学率 of a stage the unit has (classes of it), as a RateResult; undefined where the unit has no such stage. */
function dropoutOf(c: TermCounts & { classes: number }): RateResult | undefined {
  if (c.classes === 0) return undefined;
  const value = dropoutRate(c);
  const net = Math.max(0, c.droppedTerm - c.returnedTerm);
  return value === undefined ? { missing: '无在籍学生' } : { value, num: net, den: c.current + net };
}

function ratesOf(stages: StageCounts, unit: UnitRates | undefined): AssessmentRow['rates'] {
  const out: AssessmentRow['rates'] = {};
  const p = dropoutOf(stages.primary);
  const j = dropoutOf(stages.junior);
  if (p) out.primaryDropout = p;
  if (j) out.juniorDropout = j;
  for (const k of ['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const) if (unit?.[k]) out[k] = unit[k];
  return out;
}

/** The assessment of school year `year` (2026 = 2026–2027), with figures as of `today` (or the year's end if past). */
export async function assessmentModel(deps: Deps, tx: Tx, year: number, today: DateStr): Promise<AssessmentModel> {
  const tz = deps.config.TIMEZONE;
  const sy = String(year);
  const { from, to } = schoolYearRange(sy);
  const asOf = today < to ? today : to;
  // areaRates reads the school year from a day (rates.ts counts August with the next year): a day inside the year.
  const ratesDay = asOf > `${year + 1}-07-31` ? `${year + 1}-07-31` : asOf;
  const county = { kind: 'county' } as const;
  const [countyRow, schools, classes, roll, events, rates, book, inspections, faults, escalations] = await Promise.all([
    countyNameRow(tx),
    schoolsOf(tx, county),
    classesInArea(tx, county),
    studentsByClassAndStatus(tx, county),
    caseEventsByClass(tx, county, ['confirm', 'return']),
    areaRates(tx, county, ratesDay),
    targetBook(tx, deps.targets),
    inspectionSummary(tx, sy),
    faultsBySchool(tx, from, asOf, tz),
    escalationsBySchool(tx, instantAt(from, 0, tz), instantAt(nextDay(asOf), 0, tz)),
  ]);

  // Per school and stage: the roll now and the school year's confirmed dropouts and returns (the monthly form's counting).
  const classInfo = new Map(classes.map((c) => [c.id, { schoolId: c.schoolId, stage: c.stage as Stage }]));
  const bySchool = new Map<number, StageCounts>();
  const of = (id: number) => bySchool.get(id) ?? bySchool.set(id, zero()).get(id)!;
  for (const c of classes) of(c.schoolId)[c.stage as Stage].classes++;
  for (const r of roll) {
    const c = classInfo.get(r.classId);
    if (c && r.status === 'enrolled') of(c.schoolId)[c.stage].current += r.n;
  }
  const confirmed = new Set(events.filter((e) => e.type === 'confirm').map((e) => e.caseId));
  const eventsOf = new Map<string, typeof events>();
  for (const e of events) {
    const c = classInfo.get(e.classId);
    if (!c) continue;
    const key = `${c.schoolId}:${c.stage}`;
    eventsOf.set(key, (eventsOf.get(key) ?? []).concat(e));
  }
  for (const [key, list] of eventsOf) {
    const [id, stage] = key.split(':') as [string, Stage];
    Object.assign(of(Number(id))[stage], termDropoutCounts(list, from, asOf, confirmed));
  }

  const townName = (id: number) => rates.townNames.get(id) ?? `#${id}`;
  const base = (kind: AssessmentRow['kind'], id: number, name: string, town: string, r: AssessmentRow['rates'], targets: AssessmentRow['targets']) => {
    const j = judge(r, targets, VETO_FIGURES);
    return {
      kind,
      id,
      name,
      townName: town,
      rates: r,
      targets,
      inspections: 0,
      failures: 0,
      yellowCards: 0,
      escalatedTown: 0,
      escalatedCounty: 0,
      faultRecords: 0,
      ...j,
      conclusion: '',
    };
  };

  const schoolRows: AssessmentRow[] = schools.map((s) => {
    const row: AssessmentRow = base(
      'school',
      s.id,
      s.name,
      townName(s.townId),
      ratesOf(bySchool.get(s.id) ?? zero(), rates.schools.get(s.id)),
      book.school(s.id, s.townId),
    );
    const ins = inspections.get(s.id);
    const esc = escalations.get(s.id);
    row.inspections = ins?.inspections ?? 0;
    row.failures = ins?.failures ?? 0;
    row.yellowCards = ins?.yellowCard ? 1 : 0;
    row.escalatedTown = (esc?.town ?? 0) + (esc?.county ?? 0);
    row.escalatedCounty = esc?.county ?? 0;
    row.faultRecords = faults.get(s.id)?.records ?? 0;
    row.conclusion = conclusionOf(row);
    return row;
  });

  const sum = (rows: AssessmentRow[], into: AssessmentRow) => {
    for (const r of rows) {
      into.inspections += r.inspections;
      into.failures += r.failures;
      into.yellowCards += r.yellowCards;
      into.escalatedTown += r.escalatedTown;
      into.escalatedCounty += r.escalatedCounty;
      into.faultRecords += r.faultRecords;
    }
    into.conclusion = conclusionOf(into);
    return into;
  };
  const townIds = [...rates.townNames.keys()];
  const townRows = townIds.map((t) => {
    const mine = schools.filter((s) => s.townId === t);
    const stages = zero();
    for (const s of mine) addInto(stages, bySchool.get(s.id) ?? zero());
    return sum(
      schoolRows.filter((r) => mine.some((s) => s.id === r.id)),
      base('town', t, townName(t), townName(t), ratesOf(stages, rates.towns.get(t)), book.town(t)),
    );
  });
  const all = zero();
  for (const s of schools) addInto(all, bySchool.get(s.id) ?? zero());
  const countyName = countyRow?.name ?? deps.config.COUNTY_NAME;
  const countyLine = sum(schoolRows, base('county', 0, `${countyName}（全县）`, '', ratesOf(all, rates.county), book.county));

  const used = new Set<RateKey>([...schoolRows, ...townRows, countyLine].flatMap((r) => Object.keys(r.rates) as RateKey[]));
  const remarks = [...schoolRows, ...townRows, countyLine].flatMap((r) =>
    (Object.entries(r.rates) as [RateKey, RateResult][]).flatMap(([k, v]) => ('note' in v && v.note ? [`${r.name}${RATE_LABELS[k]}：${v.note}。`] : [])),
  );
  const notes = [
    `考核期间：${from} 至 ${asOf}（${schoolYearLabel(sy)}${asOf < to ? '，学年未结束，为截至今日的数字' : ''}）。在籍人数为统计时的现在籍。`,
    `学年辍学率 = 本学年净辍学人数 ÷（现在籍 + 本学年净辍学人数），口径同月报表：${RATE_DEFINITIONS.primaryDropout}`,
    ...(['consolidation', 'primaryEnrolment', 'juniorGrossEnrolment'] as const).filter((k) => used.has(k)).map((k) => RATE_DEFINITIONS[k]),
    `目标：各单位按自己的目标考核（学校 → 乡镇 → 县，未单独设定的沿用上一级）。${TARGET_RULE}`,
    '一票否决：小学辍学率、初中辍学率、小学适龄儿童入学率、初中毛入学率任一未达目标（九年义务教育巩固率未达标不否决）。',
    '抽查：本学年县督导室不定期抽查的次数与不合格次数；第 2 次不合格给予黄牌警告，第 3 次追究责任。预警升级：本学年因未登记家访升级到镇（含再升级到县）、升级到县的预警数；过错记录为升级时记录的责任人条数。',
    CONCLUSION_RULE,
    ...remarks,
  ];
  return {
    title: `${countyName}${year}学年控辍保学工作年度考核表`,
    countyName,
    schoolYear: year,
    yearLabel: schoolYearLabel(sy),
    from,
    asOf,
    schools: schoolRows,
    towns: [...townRows, countyLine],
    notes,
  };
}
