/**
 * The tamper-evident record: every row of the tables the figures are built from is sealed into a hash chain
 * (ChainEntry, hashes defined in src/domain/chain-hash.ts) by the write transaction that wrote it, just before commit
 * (withWriteTransaction calls sealPending). Rows written outside withWriteTransaction (roster import, seeds, plain
 * SQL) are sealed by the next sealing: until then they are the "window" that verify reports as not yet sealed.
 *
 * Cost per write transaction: ONE query (per table: max(id) against the largest sealed row id and the table's layout,
 * plus the chain's tip) when nothing new was written; with new rows, one page query per table with new rows (500 rows
 * a page) and one multi-row insert per 180 entries (plus the observers' own: see month-reopen.ts). At most SEAL_CAP rows are sealed per transaction (the
 * lowest ids of each table first), so a large import cannot stall a teacher's message: the rest follow in the next.
 *
 * Every sealed table is append-only (nothing in src updates or deletes their rows; grep `.update(` / `updateMany`).
 * Left out, because their rows are legitimately updated in place and are derived from sealed rows: DropoutCase.state
 * (replayed from CaseEvent), Student.status (from RegisterEvent and CaseEvent), Alert/AlertRecipient (workflow, not
 * figures), and the roster itself (Student, Person: master data the import updates in place).
 */
import { Prisma } from '../../generated/prisma/client.js';
import { entryHash, GENESIS, rowHash } from '../domain/chain-hash.js';
import { insertRows, insertRowsReturning } from './bulk-insert.js';
import { queryRows } from './direct.js';
import type { Db, Tx } from './prisma.js';

const cols = (e: Record<string, string>): readonly string[] => Object.values(e);

/** The sealed tables, in the order a sealing appends them, with the columns hashed for new rows. */
export const SEALED_TABLES: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'AttendanceMark', columns: cols(Prisma.AttendanceMarkScalarFieldEnum) },
  { table: 'ClassAttendance', columns: cols(Prisma.ClassAttendanceScalarFieldEnum) },
  { table: 'WeeklyCount', columns: cols(Prisma.WeeklyCountScalarFieldEnum) },
  { table: 'CaseEvent', columns: cols(Prisma.CaseEventScalarFieldEnum) },
  { table: 'HomeVisit', columns: cols(Prisma.HomeVisitScalarFieldEnum) },
  { table: 'RegisterEvent', columns: cols(Prisma.RegisterEventScalarFieldEnum) },
  { table: 'MonthlyConfirmation', columns: cols(Prisma.MonthlyConfirmationScalarFieldEnum) },
  { table: 'TownConfirmation', columns: cols(Prisma.TownConfirmationScalarFieldEnum) },
  { table: 'InspectionFinding', columns: cols(Prisma.InspectionFindingScalarFieldEnum) },
  { table: 'MonthReopening', columns: cols(Prisma.MonthReopeningScalarFieldEnum) },
  { table: 'MonthReconfirmation', columns: cols(Prisma.MonthReconfirmationScalarFieldEnum) },
];

export const SEAL_CAP = 5_000;
const PAGE = 500;

export type Row = Record<string, unknown> & { id: number };

export interface SealedRow {
  table: string;
  row: Row;
}

export interface TableState {
  table: string;
  /** Largest row id in the table (0: empty). */
  top: number;
  /** Largest row id sealed (0: none). */
  sealed: number;
  /** The table's latest layout (its columns comma-separated, sorted). */
  layout?: { id: number; columns: string };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const q = (name: string) => Prisma.raw(`"${name}"`);

/** One query: each sealed table's largest id, largest sealed id and current layout, and the chain's tip hash. */
export async function chainState(tx: Tx): Promise<{ tables: TableState[]; tip: string }> {
  const parts = SEALED_TABLES.map(
    ({ table }) =>
      Prisma.sql`SELECT ${table} AS "t", (SELECT max("id") FROM ${q(table)}) AS "top", (SELECT max("rowId") FROM "ChainEntry" WHERE "tableName" = ${table}) AS "sealed", (SELECT "id" || ':' || "columns" FROM "ChainLayout" WHERE "tableName" = ${table} ORDER BY "id" DESC LIMIT 1) AS "layout", NULL AS "tip"`,
  );
  parts.push(Prisma.sql`SELECT '' AS "t", 0, 0, NULL, (SELECT "hash" FROM "ChainEntry" ORDER BY "id" DESC LIMIT 1)`);
  const rows = await queryRows<{ t: string; top: unknown; sealed: unknown; layout: string | null; tip: string | null }>(
    tx,
    Prisma.sql`${Prisma.join(parts, ' UNION ALL ')}`,
  );
  const tip = rows.find((r) => r.t === '')?.tip ?? GENESIS;
  return {
    tables: rows
      .filter((r) => r.t !== '')
      .map((r) => ({
        table: r.t,
        top: num(r.top),
        sealed: num(r.sealed),
        ...(r.layout ? { layout: { id: Number(r.layout.split(':')[0]), columns: r.layout.slice(r.layout.indexOf(':') + 1) } } : {}),
      })),
    tip,
  };
}

/** Rows of a table with ids after `after`, in id order, at most `limit`. */
export async function rowsAfter(tx: Tx, table: string, after: number, limit: number): Promise<Row[]> {
  const rows = await queryRows<Row>(tx, Prisma.sql`SELECT * FROM ${q(table)} WHERE "id" > ${after} ORDER BY "id" LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Chain entries after an entry id, in chain order, at most `limit`. */
export async function chainEntriesAfter(tx: Tx, after: number, limit: number) {
  const rows = await tx.$queryRaw<{ id: unknown; tableName: string; rowId: unknown; layoutId: unknown; rowHash: string; hash: string }[]>(
    Prisma.sql`SELECT "id", "tableName", "rowId", "layoutId", "rowHash", "hash" FROM "ChainEntry" WHERE "id" > ${after} ORDER BY "id" LIMIT ${limit}`,
  );
  return rows.map((e) => ({ ...e, id: Number(e.id), rowId: Number(e.rowId), layoutId: Number(e.layoutId) }));
}

/** The lowest id of a table, at or below `upTo`, that has no chain entry (undefined when every such row has one). */
export async function firstUnchainedRow(tx: Tx, table: string, upTo: number): Promise<number | undefined> {
  const [hit] = await tx.$queryRaw<{ id: unknown }[]>(
    Prisma.sql`SELECT r."id" FROM ${q(table)} r WHERE r."id" <= ${upTo} AND NOT EXISTS (SELECT 1 FROM "ChainEntry" c WHERE c."tableName" = ${table} AND c."rowId" = r."id") ORDER BY r."id" LIMIT 1`,
  );
  return hit ? Number(hit.id) : undefined;
}

/** Rows of a table by id (any number of ids, queried 500 at a time). */
export async function rowsById(tx: Tx, table: string, ids: readonly number[]): Promise<Map<number, Row>> {
  const out = new Map<number, Row>();
  for (let i = 0; i < ids.length; i += PAGE) {
    const rows = await queryRows<Row>(tx, Prisma.sql`SELECT * FROM ${q(table)} WHERE "id" IN (${Prisma.join(ids.slice(i, i + PAGE))})`);
    for (const r of rows) out.set(Number(r.id), { ...r, id: Number(r.id) });
  }
  return out;
}

export interface Layout {
  id: number;
  tableName: string;
  columns: string[];
}

export async function layouts(tx: Tx): Promise<Map<number, Layout>> {
  const rows = await tx.$queryRaw<{ id: unknown; tableName: string; columns: string }[]>`SELECT "id", "tableName", "columns" FROM "ChainLayout"`;
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), tableName: r.tableName, columns: r.columns.split(',') }]));
}

/** The layout id for each table's current columns: its latest, or a new one when a table is first sealed or its columns changed. */
async function currentLayouts(tx: Tx, tables: readonly TableState[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const missing: [string, string][] = [];
  for (const t of tables) {
    const columns = [...SEALED_TABLES.find((s) => s.table === t.table)!.columns].sort().join(',');
    if (t.layout?.columns === columns) out.set(t.table, t.layout.id);
    else missing.push([t.table, columns]);
  }
  if (missing.length) {
    const known = await layouts(tx); // a table's columns went back to an earlier layout: reuse it (tableName, columns is unique)
    const fresh = missing.filter(([table, columns]) => {
      const found = [...known.values()].find((l) => l.tableName === table && l.columns.join(',') === columns);
      if (found) out.set(table, found.id);
      return !found;
    });
    const made = fresh.length
      ? await insertRowsReturning<{ id: number; tableName: string }>(tx, 'ChainLayout', ['tableName', 'columns'], fresh, ['tableName'])
      : [];
    for (const m of made) out.set(m.tableName, m.id);
  }
  return out;
}

/**
 * Seals the rows written since the last sealing (at most `cap`), in (table, id) order, inside the caller's
 * transaction. Returns what it sealed (for the observers: see onSealed).
 */
export async function sealPending(tx: Tx, cap = SEAL_CAP): Promise<SealedRow[]> {
  const { tables, tip } = await chainState(tx);
  const pending = tables.filter((t) => t.top > t.sealed);
  if (pending.length === 0) return [];
  const layoutOf = await currentLayouts(tx, pending);
  const sealed: SealedRow[] = [];
  const entries: (string | number)[][] = [];
  let prev = tip;
  for (const t of pending) {
    const { columns } = SEALED_TABLES.find((s) => s.table === t.table)!;
    let after = t.sealed;
    while (sealed.length < cap) {
      const rows = await rowsAfter(tx, t.table, after, Math.min(PAGE, cap - sealed.length));
      for (const row of rows) {
        const rh = rowHash(row, columns);
        prev = entryHash(prev, t.table, row.id, rh);
        entries.push([t.table, row.id, layoutOf.get(t.table)!, rh, prev]);
        sealed.push({ table: t.table, row });
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
  }
  await insertRows(tx, 'ChainEntry', ['tableName', 'rowId', 'layoutId', 'rowHash', 'hash'], entries);
  return sealed;
}

/** Reacts to rows just sealed; returns true when it wrote rows that need sealing too. */
export type SealObserver = (tx: Tx, sealed: readonly SealedRow[]) => Promise<boolean>;

const observers = new WeakMap<object, SealObserver[]>();

/** Runs `observer` inside every write transaction on `db` that sealed rows (e.g. reopening a confirmed month). */
export function onSealed(db: Db, observer: SealObserver): void {
  observers.set(db, [...(observers.get(db) ?? []), observer]);
}

/** The sealing step of a write transaction: seal, let the observers react, seal what they wrote. Returns the rows sealed. */
export async function sealInTransaction(db: Db, tx: Tx, cap = SEAL_CAP): Promise<number> {
  let sealed = await sealPending(tx, cap);
  let total = sealed.length;
  for (let round = 0; sealed.length > 0 && round < 3; round++) {
    let wrote = false;
    for (const o of observers.get(db) ?? []) wrote = (await o(tx, sealed)) || wrote;
    if (!wrote) break;
    sealed = await sealPending(tx, cap);
    total += sealed.length;
  }
  return total;
}
