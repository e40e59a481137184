/**
 * What the nine-year consolidation rate, the enrolment rates and per-unit targets read and write. Reads are one
 * statement per figure for the whole area, grouped by school or village in the database (never per pupil); the
 * imported tables are append-only and the latest row per key is in force.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import type { Area } from '../domain/org.js';
import { RATE_KEYS, type RateKey } from '../domain/rates.js';
import { num } from './area-sql.js';

/** Schools of an area (sc) by where they are: a town's schools, one school, the county's. */
function schoolsWhere(area: Area): Prisma.Sql {
  switch (area.kind) {
    case 'county':
      return Prisma.sql`1 = 1`;
    case 'town':
      return Prisma.sql`sc."townId" = ${area.townId}`;
    case 'school':
      return Prisma.sql`sc."id" = ${area.schoolId}`;
    default:
      return Prisma.sql`1 = 0`;
  }
}

/** Villages of an area (v) by residence: a town's villages, one village, the county's. */
function villagesWhere(area: Area): Prisma.Sql {
  switch (area.kind) {
    case 'county':
      return Prisma.sql`1 = 1`;
    case 'town':
      return Prisma.sql`v."townId" = ${area.townId}`;
    case 'village':
      return Prisma.sql`v."id" = ${area.villageId}`;
    default:
      return Prisma.sql`1 = 0`;
  }
}

export interface SchoolRow {
  id: number;
  townId: number;
  name: string;
  kind: string;
}

/** The area's schools (every kind), by id. */
export async function schoolsOf(tx: Tx, area: Area): Promise<SchoolRow[]> {
  const rows = await tx.$queryRaw<{ id: number; townId: number; name: string; kind: string }[]>(
    Prisma.sql`SELECT sc."id" AS "id", sc."townId" AS "townId", sc."name" AS "name", sc."kind" AS "kind" FROM "School" sc WHERE ${schoolsWhere(area)} ORDER BY sc."id"`,
  );
  return rows.map((r) => ({ id: num(r.id), townId: num(r.townId), name: r.name, kind: r.kind }));
}

/** Per school of the area: pupils enrolled in 初三 now, and the register changes recorded for pupils of its 初三 classes. */
export async function grade9BySchool(tx: Tx, area: Area): Promise<{ schoolId: number; enrolled: number; transferredOut: number; transferredIn: number }[]> {
  const [roll, moves] = await Promise.all([
    tx.$queryRaw<{ schoolId: number; n: unknown }[]>(
      Prisma.sql`SELECT c."schoolId" AS "schoolId", COUNT(*) AS "n" FROM "Student" s JOIN "SchoolClass" c ON c."id" = s."classId" JOIN "School" sc ON sc."id" = c."schoolId"
        WHERE c."stage" = 'junior' AND c."grade" = 3 AND s."status" = 'enrolled' AND ${schoolsWhere(area)} GROUP BY c."schoolId"`,
    ),
    tx.$queryRaw<{ schoolId: number; change: string; n: unknown }[]>(
      Prisma.sql`SELECT c."schoolId" AS "schoolId", e."change" AS "change", COUNT(*) AS "n" FROM "RegisterEvent" e JOIN "Student" s ON s."id" = e."studentId"
        JOIN "SchoolClass" c ON c."id" = s."classId" JOIN "School" sc ON sc."id" = c."schoolId"
        WHERE c."stage" = 'junior' AND c."grade" = 3 AND e."change" IN ('transferred_out', 'transferred_in') AND ${schoolsWhere(area)} GROUP BY c."schoolId", e."change"`,
    ),
  ]);
  const out = new Map<number, { schoolId: number; enrolled: number; transferredOut: number; transferredIn: number }>();
  const of = (id: number) => out.get(id) ?? out.set(id, { schoolId: id, enrolled: 0, transferredOut: 0, transferredIn: 0 }).get(id)!;
  for (const r of roll) of(num(r.schoolId)).enrolled += num(r.n);
  for (const r of moves) {
    const f = of(num(r.schoolId));
    if (r.change === 'transferred_out') f.transferredOut += num(r.n);
    else f.transferredIn += num(r.n);
  }
  return [...out.values()];
}

/** The 一年级 intake in force per school of the area for an entry year. */
export async function intakeBySchool(tx: Tx, area: Area, entryYear: number): Promise<Map<number, number>> {
  const rows = await tx.$queryRaw<{ schoolId: number; n: unknown }[]>(
    Prisma.sql`SELECT i."schoolId" AS "schoolId", i."grade1Intake" AS "n" FROM "CohortIntake" i JOIN "School" sc ON sc."id" = i."schoolId"
      WHERE i."entryYear" = ${entryYear} AND ${schoolsWhere(area)}
      AND NOT EXISTS (SELECT 1 FROM "CohortIntake" j WHERE j."schoolId" = i."schoolId" AND j."entryYear" = i."entryYear" AND j."id" > i."id")`,
  );
  return new Map(rows.map((r) => [num(r.schoolId), num(r.n)]));
}

/** Pupils enrolled in the county's schools per village of residence (of the area) and stage. */
export async function enrolledResidentsByVillage(tx: Tx, area: Area): Promise<{ villageId: number; townId: number; stage: string; n: number }[]> {
  const rows = await tx.$queryRaw<{ villageId: number; townId: number; stage: string; n: unknown }[]>(
    Prisma.sql`SELECT s."villageId" AS "villageId", v."townId" AS "townId", c."stage" AS "stage", COUNT(*) AS "n"
      FROM "Student" s JOIN "Village" v ON v."id" = s."villageId" JOIN "SchoolClass" c ON c."id" = s."classId"
      WHERE s."status" = 'enrolled' AND ${villagesWhere(area)} GROUP BY s."villageId", v."townId", c."stage"`,
  );
  return rows.map((r) => ({ villageId: num(r.villageId), townId: num(r.townId), stage: r.stage, n: num(r.n) }));
}

/** The area's villages with their town. */
export async function villagesOf(tx: Tx, area: Area): Promise<{ id: number; townId: number; name: string }[]> {
  const rows = await tx.$queryRaw<{ id: number; townId: number; name: string }[]>(
    Prisma.sql`SELECT v."id" AS "id", v."townId" AS "townId", v."name" AS "name" FROM "Village" v WHERE ${villagesWhere(area)} ORDER BY v."id"`,
  );
  return rows.map((r) => ({ id: num(r.id), townId: num(r.townId), name: r.name }));
}

export interface PopulationRow {
  townId: number;
  villageId: number | null;
  primaryAge: number;
  juniorAge: number;
}

/** School-age population rows in force for a year: a town's own total (villageId null) and its villages'. */
export async function populationOf(tx: Tx, area: Area, year: number): Promise<PopulationRow[]> {
  const where =
    area.kind === 'county'
      ? Prisma.sql`1 = 1`
      : area.kind === 'town'
        ? Prisma.sql`p."townId" = ${area.townId}`
        : area.kind === 'village'
          ? Prisma.sql`p."villageId" = ${area.villageId}`
          : Prisma.sql`1 = 0`;
  const rows = await tx.$queryRaw<{ townId: number; villageId: number | null; primaryAge: unknown; juniorAge: unknown }[]>(
    Prisma.sql`SELECT p."townId" AS "townId", p."villageId" AS "villageId", p."primaryAge" AS "primaryAge", p."juniorAge" AS "juniorAge" FROM "SchoolAgePopulation" p
      WHERE p."year" = ${year} AND ${where}
      AND NOT EXISTS (SELECT 1 FROM "SchoolAgePopulation" q WHERE q."year" = p."year" AND q."townId" = p."townId"
        AND (q."villageId" = p."villageId" OR (q."villageId" IS NULL AND p."villageId" IS NULL)) AND q."id" > p."id")`,
  );
  return rows.map((r) => ({
    townId: num(r.townId),
    villageId: r.villageId == null ? null : num(r.villageId),
    primaryAge: num(r.primaryAge),
    juniorAge: num(r.juniorAge),
  }));
}

export type TargetOverrides = { towns: Map<number, Partial<Record<RateKey, number>>>; schools: Map<number, Partial<Record<RateKey, number>>> };

/** Every town's and school's own targets in force (few rows: read whole). */
export async function targetOverrides(tx: Tx): Promise<TargetOverrides> {
  const rows = await tx.$queryRaw<{ unitKind: string; unitId: number; figure: string; value: unknown }[]>(
    Prisma.sql`SELECT t."unitKind" AS "unitKind", t."unitId" AS "unitId", t."figure" AS "figure", t."value" AS "value" FROM "RateTarget" t
      WHERE NOT EXISTS (SELECT 1 FROM "RateTarget" u WHERE u."unitKind" = t."unitKind" AND u."unitId" = t."unitId" AND u."figure" = t."figure" AND u."id" > t."id")`,
  );
  const out: TargetOverrides = { towns: new Map(), schools: new Map() };
  for (const r of rows) {
    if (!(RATE_KEYS as readonly string[]).includes(r.figure)) continue;
    const map = r.unitKind === 'town' ? out.towns : r.unitKind === 'school' ? out.schools : undefined;
    if (!map) continue;
    const id = num(r.unitId);
    map.set(id, { ...map.get(id), [r.figure as RateKey]: Number(r.value) });
  }
  return out;
}

export interface TargetRow {
  unitKind: 'town' | 'school';
  unitId: number;
  figure: RateKey;
  value: number;
}

export async function addTargets(tx: Tx, rows: TargetRow[], at: Date, byId?: number): Promise<void> {
  for (let i = 0; i < rows.length; i += 100)
    await tx.rateTarget.createMany({ data: rows.slice(i, i + 100).map((r) => ({ ...r, setAt: at, byId: byId ?? null })) });
}

export async function addIntakes(tx: Tx, rows: { schoolId: number; entryYear: number; grade1Intake: number }[], at: Date): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await tx.cohortIntake.createMany({ data: rows.slice(i, i + 100).map((r) => ({ ...r, importedAt: at })) });
}

export async function addPopulations(
  tx: Tx,
  rows: { townId: number; villageId: number | null; year: number; primaryAge: number; juniorAge: number }[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await tx.schoolAgePopulation.createMany({ data: rows.slice(i, i + 100).map((r) => ({ ...r, importedAt: at })) });
}
