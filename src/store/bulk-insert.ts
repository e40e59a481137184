/**
 * Multi-row INSERTs written as SQL: Prisma's createMany costs about ten times as much CPU per row as the statement
 * itself (measured in the import and the daily check), which is what a county-wide fan-out pays. Portable: quoted
 * identifiers, bound values (Dates and booleans bound as Prisma binds them), chunks under SQLite's 999 values
 * (PostgreSQL's limit is 65,535 bound values a statement; chunks there stay well under it).
 */
import { Prisma } from '../../generated/prisma/client.js';
import { executeStatement, queryRows } from './direct.js';
import { dialect, type Tx } from './prisma.js';

type Value = string | number | boolean | Date | null;

const MAX_VALUES = { sqlite: 900, postgresql: 30_000 } as const;

function statement(table: string, columns: readonly string[], rows: readonly Value[][], returning?: readonly string[]): Prisma.Sql {
  const cols = Prisma.raw(columns.map((c) => `"${c}"`).join(', '));
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(r)})`));
  const ret = returning ? Prisma.raw(` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}`) : Prisma.empty;
  return Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${cols}) VALUES ${values}${ret}`;
}

function chunks<T>(db: Tx, rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_VALUES[dialect(db)] / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Inserts every row (values in the order of `columns`). */
export async function insertRows(db: Tx, table: string, columns: readonly string[], rows: readonly Value[][]): Promise<void> {
  for (const chunk of chunks(db, rows, columns.length)) await executeStatement(db, statement(table, columns, chunk));
}

/**
 * Inserts every row and returns the new rows' `returning` columns in the order given: a multi-row insert numbers its
 * rows in order inside the write transaction, so sorting by id restores it.
 */
export async function insertRowsReturning<R extends { id: number }>(
  db: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly Value[][],
  returning: readonly (keyof R & string)[],
): Promise<R[]> {
  const out: R[] = [];
  for (const chunk of chunks(db, rows, columns.length)) {
    const made = await queryRows<R>(db, statement(table, columns, chunk, ['id', ...returning.filter((c) => c !== 'id')]));
    out.push(...made.map((m) => ({ ...m, id: Number(m.id) })).sort((a, b) => a.id - b.id));
  }
  return out;
}
