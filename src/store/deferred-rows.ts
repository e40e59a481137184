/**
 * Rows a shared write transaction (write-group.ts) writes at its end, one multi-row INSERT per table for every handling
 * in it, instead of one INSERT per row as each handling goes: a message's replies (Outbox) and its audit line
 * (AuditLog), rows nobody in the handling reads back and whose ids it does not need. On PostgreSQL each INSERT is a
 * round trip made while holding the database-wide write lock, which every other message waits for.
 *
 * What each handling sees stays as if the rows were written at once:
 * - a handling that fails (rolled back to its savepoint) leaves none of its rows;
 * - any other statement of the transaction that names one of these tables (an outbox id wanted at once, a read of the
 *   audit log, a re-addressed direct message) first writes every row kept so far, in order, so the outbox keeps each
 *   chat's order and a read finds what was written before it. Kept rows of earlier handlings written that way inside
 *   a handling that then fails are rolled back with it, so they are kept again and written later;
 * - statements through Prisma's model API do not pass here: their callers write the kept rows first (`writeKept`).
 * Outside a shared transaction (duties, imports, one handling alone) a row is written at once.
 */
import { insertRows } from './bulk-insert.js';
import { beforeStatements } from './direct.js';
import type { Tx } from './prisma.js';

type Value = string | number | boolean | Date | null;

interface Row {
  table: string;
  columns: readonly string[];
  values: Value[];
}

/** The tables whose rows may wait, as a statement names them. */
const NAMES = ['"Outbox"', '"AuditLog"'] as const;

/** The rows a shared transaction keeps: write-group.ts marks each handling's start and end, and writes them before COMMIT. */
export class Deferral {
  /** Rows of handlings that finished, not written yet. */
  private done: Row[] = [];
  /** Rows of the handling running now. */
  private current: Row[] = [];
  /** Rows of finished handlings written while the current one runs: its rollback undoes them. */
  private writtenInCurrent: Row[] = [];

  constructor(private readonly tx: Tx) {}

  begin(): void {
    this.current = [];
    this.writtenInCurrent = [];
  }

  add(row: Row): void {
    this.current.push(row);
  }

  finished(): void {
    this.done.push(...this.current);
    this.current = [];
    this.writtenInCurrent = [];
  }

  /** The current handling was rolled back to its savepoint: its rows are gone, earlier ones it wrote are kept again. */
  undone(): void {
    this.done = [...this.writtenInCurrent, ...this.done];
    this.current = [];
    this.writtenInCurrent = [];
  }

  get empty(): boolean {
    return this.done.length === 0 && this.current.length === 0;
  }

  /** Writes every kept row, in the order kept: one statement per table (and per chunk of bound values); none kept, none. */
  async write(): Promise<void> {
    if (this.empty) return;
    const rows = [...this.done, ...this.current];
    this.writtenInCurrent.push(...this.done);
    this.done = [];
    this.current = [];
    const byTable = new Map<string, Row[]>();
    for (const r of rows) {
      const list = byTable.get(r.table);
      if (list) list.push(r);
      else byTable.set(r.table, [r]);
    }
    for (const [table, list] of byTable)
      await insertRows(
        this.tx,
        table,
        list[0]!.columns,
        list.map((r) => r.values),
      );
  }
}

const kept = new WeakMap<Tx, Deferral>();

/** Rows for `tx` wait from now until it writes them (write-group.ts, for the length of one shared transaction). */
export function deferRows(tx: Tx): Deferral {
  const d = new Deferral(tx);
  kept.set(tx, d);
  // `empty` first: the statement's text is built only when there is something to write.
  beforeStatements(tx, async (q) => {
    if (!d.empty && NAMES.some((n) => q.sql.includes(n))) await d.write();
  });
  return d;
}

/** One row: kept until the shared transaction's end when `tx` is one, written now otherwise. */
export async function insertLater(tx: Tx, table: string, columns: readonly string[], values: Value[]): Promise<void> {
  const d = kept.get(tx);
  if (d) d.add({ table, columns, values });
  else await insertRows(tx, table, columns, [values]);
}

/** Writes the rows kept for `tx`, before a statement that does not pass through direct.ts reads or changes their tables. */
export async function writeKept(tx: Tx): Promise<void> {
  await kept.get(tx)?.write();
}
