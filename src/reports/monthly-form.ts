/**
 * What the printed monthly form adds to the report's figures: who fills it in (填报单位, 填报人, 联系电话), the
 * unit's targets printed beside the rates (the model's `targets`), each class's weekly counts for the month (school form) or each school's
 * missing weekly counts (town and county forms). Built here so the figures' model stays as it is.
 */
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr } from '../domain/types.js';
import { isoWeek } from '../domain/calendar.js';
import { weeksOfMonth } from '../services/status.js';
import { classesOfScope, weekCountsOfScope, type WeekCountRow } from '../store/weekly-month.repository.js';
import type { MonthlyReportModel } from './monthly-model.js';
import type { ReportScope } from '../store/report.repository.js';
import { firstActivePerson } from '../store/person.repository.js';

export interface FormWeek {
  week: string;
  /** 11/02–11/06: the week's school days within the month. */
  label: string;
  /** Its last school day has passed by the report's date: a class without a count for it has not reported. */
  due: boolean;
}

export interface ClassWeeks {
  className: string;
  /** One per form week, in order; undefined: no count for that week. */
  counts: (Pick<WeekCountRow, 'enrolled' | 'present' | 'leave' | 'truant'> | undefined)[];
  /** Weeks due and not reported. */
  missing: string[];
}

export interface SchoolWeeks {
  schoolName: string;
  classes: number;
  /** Class-weeks due. */
  due: number;
  /** Class-weeks due without a count. */
  missing: number;
  /** Classes with a missing week (town form only; the county form counts): 三(2)班（11/09–11/13）. */
  detail: string[];
}

export interface FormExtras {
  /** 填报单位 */
  unit: string;
  /** 填报人 (the principal, the town or county official in charge) and their phone. */
  filler: string;
  phone: string;
  /** The stamp: 学校 / 镇人民政府 / 县教育局. */
  stamp: string;
  weeks: FormWeek[];
  /** School form: each class's weekly counts. */
  classWeeks?: ClassWeeks[];
  /** Town and county forms: missing weekly counts per school. */
  schoolWeeks?: SchoolWeeks[];
  /** Suspected pupils: school days since their absence began, by case id. */
  suspectedDays: Record<number, number>;
}

export type MonthlyForm = MonthlyReportModel & { form?: FormExtras };

const slash = (d: DateStr) => `${d.slice(5, 7)}/${d.slice(8, 10)}`;

/** The month's weeks with their school days in the month; due once the week's last school day is on or before `asOf`. */
export function formWeeks(deps: Pick<Deps, 'calendar'>, month: string, asOf: DateStr): FormWeek[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  const days = deps.calendar.schoolDaysBetween(`${month}-01`, last);
  return weeksOfMonth(month, deps.calendar).map((week) => {
    const inWeek = days.filter((d) => isoWeek(d) === week);
    const from = inWeek[0]!;
    const to = inWeek.at(-1)!;
    return { week, label: from === to ? slash(from) : `${slash(from)}–${slash(to)}`, due: to <= asOf };
  });
}

async function filler(tx: Tx, scope: ReportScope): Promise<{ name: string; phone: string }> {
  const where =
    scope.kind === 'school'
      ? { role: 'principal', schoolId: scope.schoolId }
      : scope.kind === 'town'
        ? { role: 'town', townId: scope.townId }
        : { role: 'county' };
  const p = await firstActivePerson(tx, where);
  return { name: p?.name ?? '', phone: p?.phone ?? '' };
}

export async function formExtras(deps: Deps, tx: Tx, scope: ReportScope, m: MonthlyReportModel): Promise<FormExtras> {
  const weeks = formWeeks(deps, m.month, m.asOf);
  const [who, classes, counts] = await Promise.all([
    filler(tx, scope),
    classesOfScope(tx, scope),
    weekCountsOfScope(
      tx,
      scope,
      weeks.map((w) => w.week),
    ),
  ]);
  const byKey = new Map(counts.map((c) => [`${c.classId}|${c.week}`, c]));
  const perClass = classes.map((c) => {
    const cs = weeks.map((w) => byKey.get(`${c.classId}|${w.week}`));
    return { c, counts: cs, missing: weeks.filter((w, i) => w.due && !cs[i]).map((w) => w.label) };
  });
  const suspectedDays: Record<number, number> = {};
  for (const line of m.cases) if (!line.confirmed) suspectedDays[line.id] = deps.calendar.schoolDaysBetween(line.since, m.asOf).length;
  const base = {
    unit: scope.kind === 'school' ? m.schoolName : scope.kind === 'town' ? `${m.townName}人民政府` : `${m.countyName}教育局`,
    filler: who.name,
    phone: who.phone,
    stamp: scope.kind === 'school' ? '学校（盖章）' : scope.kind === 'town' ? '镇人民政府（盖章）' : '县教育局（盖章）',
    weeks,
    suspectedDays,
  };
  if (scope.kind === 'school') {
    return {
      ...base,
      classWeeks: perClass.map((x) => ({
        className: x.c.name,
        counts: x.counts.map((k) => (k ? { enrolled: k.enrolled, present: k.present, leave: k.leave, truant: k.truant } : undefined)),
        missing: x.missing,
      })),
    };
  }
  const schools = new Map<number, SchoolWeeks>();
  const due = weeks.filter((w) => w.due).length;
  for (const x of perClass) {
    const s = schools.get(x.c.schoolId) ?? { schoolName: x.c.schoolName, classes: 0, due: 0, missing: 0, detail: [] };
    s.classes++;
    s.due += due;
    s.missing += x.missing.length;
    // the county's form counts; the town's names the classes too
    if (x.missing.length && scope.kind === 'town') s.detail.push(`${x.c.name}（${x.missing.join('、')}）`);
    schools.set(x.c.schoolId, s);
  }
  return { ...base, schoolWeeks: [...schools.values()] };
}
