/**
 * The hash chain's definition, pure. A sealed row's hash is sha256 of its canonical JSON (the layout's columns, keys
 * sorted, no spaces, times as ISO 8601 UTC); an entry's hash is sha256 of the previous entry's hash, the table, the row
 * id and the row's hash, joined by "\n". The first entry follows GENESIS (64 zeros).
 */
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export type Cell = string | number | boolean | null;

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** One stored value as it is hashed: a Date as its ISO instant, a bigint as a number, undefined (a missing column) as null. */
export function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString(); // a value edited into garbage still hashes
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return JSON.stringify(v);
}

/** The row's named columns as canonical JSON: keys in code-point order, whatever order the row came in. */
export function canonicalJson(row: Record<string, unknown>, columns: readonly string[]): string {
  const keys = [...columns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(cell(row[k]))}`).join(',')}}`;
}

export const rowHash = (row: Record<string, unknown>, columns: readonly string[]): string => sha256(canonicalJson(row, columns));

export const entryHash = (prev: string, table: string, rowId: number, rowHashHex: string): string => sha256(`${prev}\n${table}\n${rowId}\n${rowHashHex}`);
