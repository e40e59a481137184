/**
 * Writes a validated roster in one transaction, keyed by 学籍号 and 工号: the same file twice changes nothing,
 * a changed file updates in place. Rows absent from the file are left untouched (and counted). Every query is
 * bounded: places are read per county, students and people in batches of KEY_BATCH keys.
 */
import { refreshPlannerStatistics } from './statistics.js';
import type { Db, Tx } from './prisma.js';
import type { ImportProgress, Roster } from '../roster/types.js';
import { writePlaces } from './roster-places.js';
import { writePeople, writeStudents } from './roster-rows.js';

export interface ImportSummary {
  created: { students: number; people: number; schools: number; classes: number; towns: number; villages: number };
  updated: { students: number; people: number };
  unchanged: { students: number; people: number };
  notInFile: { students: number; people: number };
  /** After the import: schools with no principal and villages (镇 村) with no village cadre — their alerts reach nobody. */
  unstaffed: { schools: string[]; villages: string[] };
}

export class DemoCountyError extends Error {}

export interface ImportOptions {
  countyName: string;
  demo?: boolean;
  at: Date;
  /**
   * The import's date when it happens during a term — students that a later import adds are then recorded as
   * transferred in on that day (the first import only sets up the roll).
   */
  transferInOn?: string;
  onProgress?: (p: ImportProgress) => void;
}

/** The write lock is held for the whole import: a minute, plus time for a county's size (about 60,000 rows/min here). */
const timeoutFor = (roster: Roster) => 60_000 + 2 * (roster.students.length + roster.people.length);

export async function importRoster(db: Db, roster: Roster, opts: ImportOptions): Promise<ImportSummary> {
  const summary = await db.$transaction(
    async (tx) => {
      let county = await tx.county.findFirst({ orderBy: { id: 'asc' } });
      if (county && county.demo !== Boolean(opts.demo)) {
        throw new DemoCountyError(
          county.demo
            ? '这个数据库里是示范县的演示数据，不能导入真实名册。请在 .env 中把 DATABASE_URL 指向新的数据库文件后再导入。'
            : '这个数据库里已经有真实名册，不能写入示范县数据。',
        );
      }
      const firstImport = !county;
      county ??= await tx.county.create({ data: { name: opts.countyName, demo: Boolean(opts.demo), createdAt: opts.at } });
      const progress = opts.onProgress ?? (() => undefined);
      progress({ phase: 'write', what: 'places', done: 0, total: roster.schools.length });
      const { ids, created } = await writePlaces(tx, county.id, roster);
      progress({ phase: 'write', what: 'places', done: roster.schools.length, total: roster.schools.length });
      const total = { students: roster.students.length, people: roster.people.length };
      const students = await writeStudents(tx, roster.students, ids, {
        at: opts.at,
        ...(!firstImport && opts.transferInOn ? { transferInOn: opts.transferInOn } : {}),
        onBatch: (done) => progress({ phase: 'write', what: 'students', done, total: total.students }),
      });
      const people = await writePeople(tx, roster.people, ids, {
        at: opts.at,
        onBatch: (done) => progress({ phase: 'write', what: 'people', done, total: total.people }),
      });
      const s: ImportSummary = {
        created: { students: students.created, people: people.created, ...created },
        updated: { students: students.updated, people: people.updated },
        unchanged: { students: students.unchanged, people: people.unchanged },
        // Every row of the file is in the table now: the rest of the table is what the file left out.
        notInFile: { students: (await tx.student.count()) - total.students, people: (await tx.person.count()) - total.people },
        unstaffed: await unstaffed(tx, county.id),
      };
      const changed = Object.values(s.created).some((n) => n > 0) || s.updated.students + s.updated.people > 0;
      if (changed)
        await tx.auditLog.create({ data: { at: opts.at, action: opts.demo ? 'seed_demo' : 'import', detail: JSON.stringify({ ...s, unstaffed: undefined }) } });
      return s;
    },
    { timeout: timeoutFor(roster), maxWait: 10_000 },
  );
  // A county's roster arrives in one piece: the planner must know the new sizes before the first 情况.
  await refreshPlannerStatistics(db);
  return summary;
}

/** Schools without an active principal, villages without an active village cadre: whole tables of one county, small. */
async function unstaffed(tx: Tx, countyId: number): Promise<ImportSummary['unstaffed']> {
  const principals = new Set((await tx.person.findMany({ where: { role: 'principal', active: true }, select: { schoolId: true } })).map((p) => p.schoolId));
  const cadres = new Set((await tx.person.findMany({ where: { role: 'village', active: true }, select: { villageId: true } })).map((p) => p.villageId));
  const schools = await tx.school.findMany({ where: { countyId }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
  const villages = await tx.village.findMany({
    where: { town: { countyId } },
    select: { id: true, name: true, town: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  return {
    schools: schools.filter((x) => !principals.has(x.id)).map((x) => x.name),
    villages: villages.filter((v) => !cadres.has(v.id)).map((v) => `${v.town.name}${v.name}`),
  };
}

export type { Tx };
