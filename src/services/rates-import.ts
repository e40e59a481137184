/**
 * CLI imports for the rates: 一年级入学人数, 适龄人口 and per-unit targets from CSV. All or nothing: every row is checked
 * first (each bad one named with its line); only a clean file is written, in one transaction, as new rows (the
 * latest row per key is in force, earlier ones stay as history).
 */
import type { Db, Tx } from '../store/prisma.js';
import { withWriteTransaction } from '../store/write.js';
import { addIntakes, addPopulations, addTargets } from '../store/rates.repository.js';
import { readCohorts, readPopulation, readTargets, type Place, type TableResult } from '../roster/rates-tables.js';
import { allPlaces } from '../store/place.repository.js';

export type RatesTable = 'cohorts' | 'population' | 'targets';

/** The county's schools, towns and villages by name (one statement each). */
export async function placeOf(db: Db | Tx): Promise<Place> {
  const [schools, towns, villages] = await allPlaces(db);
  const place: Place = { schools: new Map(schools.map((s) => [s.name, { id: s.id, townId: s.townId, kind: s.kind }])), towns: new Map() };
  const byId = new Map(towns.map((t) => [t.id, { id: t.id, villages: new Map<string, number>() }]));
  for (const t of towns) place.towns.set(t.name, byId.get(t.id)!);
  for (const v of villages) byId.get(v.townId)?.villages.set(v.name, v.id);
  return place;
}

export type ImportOutcome = { ok: true; rows: number; text: string } | { ok: false; text: string };

const LABEL: Record<RatesTable, string> = { cohorts: '一年级入学人数', population: '适龄人口', targets: '单位目标' };

export async function importRatesTable(db: Db, table: RatesTable, file: string, at: Date, thisYear: number): Promise<ImportOutcome> {
  const place = await placeOf(db);
  const read: TableResult<unknown> =
    table === 'cohorts'
      ? await readCohorts(file, place, thisYear)
      : table === 'population'
        ? await readPopulation(file, place, thisYear)
        : await readTargets(file, place);
  if (!read.ok) {
    const shown = read.errors.slice(0, 200);
    return {
      ok: false,
      text: `${LABEL[table]}文件有 ${read.errors.length} 处错误，没有导入任何数据：\n${shown.join('\n')}${read.errors.length > shown.length ? `\n……另有 ${read.errors.length - shown.length} 处未列出` : ''}\n请改正以上各行后重新导入。`,
    };
  }
  await withWriteTransaction(db, async (tx) => {
    if (table === 'cohorts') await addIntakes(tx, (read as Extract<Awaited<ReturnType<typeof readCohorts>>, { ok: true }>).rows, at);
    else if (table === 'population') await addPopulations(tx, (read as Extract<Awaited<ReturnType<typeof readPopulation>>, { ok: true }>).rows, at);
    else await addTargets(tx, (read as Extract<Awaited<ReturnType<typeof readTargets>>, { ok: true }>).rows, at);
  });
  return { ok: true, rows: read.rows.length, text: `导入成功：${LABEL[table]} ${read.rows.length} 行（同一学校/村/单位以最新导入的为准，旧数据保留为历史）。` };
}
