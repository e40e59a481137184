/**
 * The nine-year consolidation rate and the enrolment rates of an area's units (county, towns, schools, villages),
 * from the imported intakes and school-age populations and a handful of set-based counts. A unit without the data
 * says 未导入 (which data, which year), never a number built on part of it.
 */
import type { Tx } from '../store/prisma.js';
import type { Area } from '../domain/org.js';
import type { DateStr } from '../domain/types.js';
import { cohortEntryYear, consolidationRate, enrolmentRate, schoolYearOf, type RateResult } from '../domain/rates.js';
import {
  enrolledResidentsByVillage,
  grade9BySchool,
  intakeBySchool,
  populationOf,
  schoolsOf,
  villagesOf,
  type PopulationRow,
  type SchoolRow,
} from '../store/rates.repository.js';
import { townNames } from '../store/place.repository.js';

/** A figure left out (undefined) does not apply to the unit (a primary school has no consolidation rate of its own). */
export interface UnitRates {
  consolidation?: RateResult;
  primaryEnrolment?: RateResult;
  juniorGrossEnrolment?: RateResult;
}

export interface AreaRates {
  /** The school year (by the year it starts) the figures are for, and the year its 初三 pupils entered 一年级. */
  schoolYear: number;
  entryYear: number;
  county?: UnitRates;
  towns: Map<number, UnitRates>;
  schools: Map<number, UnitRates>;
  villages: Map<number, UnitRates>;
  /** The towns of a county or town area by id, in id order, with their names; each school's town. */
  townNames: Map<number, string>;
  townOfSchool: Map<number, number>;
}

const names = (xs: { name: string }[]) =>
  `${xs
    .slice(0, 3)
    .map((x) => x.name)
    .join('、')}${xs.length > 3 ? ` 等 ${xs.length} 个` : ''}`;

type G9 = Awaited<ReturnType<typeof grade9BySchool>>[number];

/** 九年义务教育巩固率 of a group of schools: those taking 一年级 need an imported intake for the cohort's entry year. */
function cohortOf(schools: SchoolRow[], g9: Map<number, G9>, intake: Map<number, number>, entryYear: number): RateResult | undefined {
  const feeders = schools.filter((s) => s.kind !== 'junior');
  const finals = schools.filter((s) => s.kind !== 'primary');
  if (!feeders.length || !finals.length) return undefined;
  const missing = feeders.filter((s) => !intake.has(s.id));
  if (missing.length) return { missing: `未导入（${names(missing)} ${entryYear} 年一年级入学人数）` };
  const c = { grade9Now: 0, grade1Intake: 0, transferredOut: 0, transferredIn: 0 };
  for (const s of feeders) c.grade1Intake += intake.get(s.id)!;
  for (const s of finals) {
    const f = g9.get(s.id);
    if (!f) continue;
    c.grade9Now += f.enrolled;
    c.transferredOut += f.transferredOut;
    c.transferredIn += f.transferredIn;
  }
  const value = consolidationRate(c);
  const den = c.grade1Intake - c.transferredOut + c.transferredIn;
  if (value === undefined) return { missing: `无法计算（${entryYear} 年一年级入学人数扣除转学后为 0）` };
  // more pupils in 初三 than the cohort's intake: some came from schools whose intake is not counted here (another town's)
  return value > 1
    ? { value, num: c.grade9Now, den, note: `初三 ${c.grade9Now} 人多于该届入学 ${den} 人，部分学生来自未计入的小学，请核对` }
    : { value, num: c.grade9Now, den };
}

interface Population {
  primaryAge: number;
  juniorAge: number;
}

type Pop = Population | { missing: string };

/** A town's school-age population: its own total if imported, else the sum of all its villages' (each must be imported). */
function townPopulation(townId: number, villages: { id: number; townId: number; name: string }[], rows: PopulationRow[], year: number): Pop {
  const own = rows.find((r) => r.townId === townId && r.villageId === null);
  if (own) return own;
  const vs = villages.filter((v) => v.townId === townId);
  const byVillage = new Map(rows.filter((r) => r.villageId !== null).map((r) => [r.villageId!, r]));
  const missing = vs.filter((v) => !byVillage.has(v.id));
  if (!vs.length) return { missing: `未导入（${year} 年适龄人口）` };
  if (missing.length) return { missing: `未导入（${year} 年适龄人口，缺 ${names(missing)}）` };
  return vs.reduce((p, v) => ({ primaryAge: p.primaryAge + byVillage.get(v.id)!.primaryAge, juniorAge: p.juniorAge + byVillage.get(v.id)!.juniorAge }), {
    primaryAge: 0,
    juniorAge: 0,
  });
}

function enrolmentOf(enrolled: { primary: number; junior: number }, pop: Pop): Pick<UnitRates, 'primaryEnrolment' | 'juniorGrossEnrolment'> {
  if ('missing' in pop) return { primaryEnrolment: pop, juniorGrossEnrolment: pop };
  const one = (n: number, d: number): RateResult => {
    const value = enrolmentRate(n, d);
    return value === undefined ? { missing: '无法计算（适龄人口为 0）' } : { value, num: n, den: d };
  };
  return { primaryEnrolment: one(enrolled.primary, pop.primaryAge), juniorGrossEnrolment: one(enrolled.junior, pop.juniorAge) };
}

/** The rates of the area's units as of a day: county and towns for the county; a town and its schools; a school; a village. */
export async function areaRates(tx: Tx, area: Area, today: DateStr): Promise<AreaRates> {
  const schoolYear = schoolYearOf(today);
  const entryYear = cohortEntryYear(schoolYear);
  const out: AreaRates = { schoolYear, entryYear, towns: new Map(), schools: new Map(), villages: new Map(), townNames: new Map(), townOfSchool: new Map() };
  if (area.kind === 'class') return out;
  const bySchools = area.kind !== 'village';
  const byResidence = area.kind !== 'school';
  const [schools, g9, intake, villages, residents, pops] = await Promise.all([
    bySchools ? schoolsOf(tx, area) : Promise.resolve([]),
    bySchools ? grade9BySchool(tx, area) : Promise.resolve([]),
    bySchools ? intakeBySchool(tx, area, entryYear) : Promise.resolve(new Map<number, number>()),
    byResidence ? villagesOf(tx, area) : Promise.resolve([]),
    byResidence ? enrolledResidentsByVillage(tx, area) : Promise.resolve([]),
    byResidence ? populationOf(tx, area, schoolYear) : Promise.resolve([]),
  ]);
  const g9Of = new Map(g9.map((r) => [r.schoolId, r]));
  for (const s of schools) out.townOfSchool.set(s.id, s.townId);
  for (const s of schools) {
    const c = cohortOf([s], g9Of, intake, entryYear);
    if (c) out.schools.set(s.id, { consolidation: c });
  }
  const enrolledIn = (pred: (r: (typeof residents)[number]) => boolean) => ({
    primary: residents.filter((r) => pred(r) && r.stage === 'primary').reduce((n, r) => n + r.n, 0),
    junior: residents.filter((r) => pred(r) && r.stage === 'junior').reduce((n, r) => n + r.n, 0),
  });
  if (area.kind === 'village') {
    const own = pops.find((p) => p.villageId === area.villageId);
    out.villages.set(
      area.villageId,
      enrolmentOf(
        enrolledIn(() => true),
        own ?? { missing: `未导入（${schoolYear} 年适龄人口）` },
      ),
    );
    return out;
  }
  const townIds =
    area.kind === 'town'
      ? [area.townId]
      : area.kind === 'county'
        ? [...new Set([...schools.map((s) => s.townId), ...villages.map((v) => v.townId)])].sort((a, b) => a - b)
        : [];
  if (townIds.length) for (const t of await townNames(tx, townIds)) out.townNames.set(t.id, t.name);
  const popOf = new Map<number, Pop>();
  for (const t of townIds) {
    popOf.set(t, townPopulation(t, villages, pops, schoolYear));
    const c = cohortOf(
      schools.filter((s) => s.townId === t),
      g9Of,
      intake,
      entryYear,
    );
    out.towns.set(t, {
      ...(c ? { consolidation: c } : {}),
      ...enrolmentOf(
        enrolledIn((r) => r.townId === t),
        popOf.get(t)!,
      ),
    });
  }
  if (area.kind === 'county') {
    const lacking = townIds.filter((t) => 'missing' in popOf.get(t)!);
    const pop: Pop = lacking.length
      ? { missing: `未导入（${schoolYear} 年适龄人口，${lacking.length} 个乡镇未齐）` }
      : townIds.reduce(
          (p, t) => {
            const q = popOf.get(t) as Population;
            return { primaryAge: p.primaryAge + q.primaryAge, juniorAge: p.juniorAge + q.juniorAge };
          },
          { primaryAge: 0, juniorAge: 0 },
        );
    const c = cohortOf(schools, g9Of, intake, entryYear);
    out.county = {
      ...(c ? { consolidation: c } : {}),
      ...enrolmentOf(
        enrolledIn(() => true),
        pop,
      ),
    };
  }
  return out;
}
