/**
 * A batch of statements with values as one PostgreSQL simple query: one round trip instead of one each plus BEGIN and
 * COMMIT. On this machine a round trip costs the bot about 0.15 ms of CPU (most of it the socket write on loopback,
 * which also wakes the server), and the outbox claim's batch (BEGIN, the platform's lock, the claim, COMMIT) was four.
 *
 * A simple query of several statements without BEGIN runs as one implicit transaction: all of it commits, or none of it
 * (the server rolls it back at the first error and runs nothing after). Under READ COMMITTED each statement still
 * takes its own snapshot, so a statement after `pg_advisory_xact_lock` sees what the lock's last holder committed, as
 * it does in an explicit transaction. The lock is held until the end of the query.
 *
 * Values are written into the text as quoted literals. PostgreSQL types a quoted literal as it types an unbound
 * parameter (unknown, resolved by where it stands), so the statement means what it means with bound values. They are
 * written as Prisma's PostgreSQL adapter binds them (instants as UTC `YYYY-MM-DD HH:MM:SS.mmm`). A value that has no
 * such literal here (a NUL in text, which ends a simple query's text; bytes; an object) leaves the batch to the
 * statement-at-a-time path.
 */
import type { Prisma } from '../../generated/prisma/client.js';
import { type BatchOutcome, type BatchStatement, integer, isReturning } from './direct.js';

/** A text value as a PostgreSQL string literal (backslashes as E'' escapes, whatever standard_conforming_strings says). */
export function quoteLiteral(s: string): string {
  const quoted = `'${s.replace(/'/g, "''")}'`;
  return s.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** An instant as Prisma's PostgreSQL adapter binds it (its formatDateTime): UTC, milliseconds when not zero. */
function instant(d: Date): string {
  const pad = (n: number, z = 2) => String(n).padStart(z, '0');
  const ms = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`
  );
}

/** A bound value as a literal, or undefined when it has none here. */
function literal(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : quoteLiteral(instant(v));
  if (typeof v === 'number' || typeof v === 'bigint') return quoteLiteral(String(v));
  if (typeof v === 'boolean') return v ? "'true'" : "'false'";
  if (typeof v === 'string') return v.includes('\0') ? undefined : quoteLiteral(v);
  return undefined;
}

/** The statement's text with its values written in, or undefined when one of them cannot be. */
export function inlined(q: Prisma.Sql): string | undefined {
  const { strings, values } = q;
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const l = literal(values[i]);
    if (l === undefined) return undefined;
    text += l + strings[i + 1]!;
  }
  return text;
}

interface SimpleResult {
  rowCount: number | null;
  rows: Record<string, unknown>[];
}
/** A pg client or pool (Prisma's PostgreSQL adapter's), as far as a simple query uses it. */
export interface SimpleClient {
  query(config: { text: string; types: { getTypeParser(oid: number): (v: string) => unknown } }): Promise<SimpleResult | SimpleResult[]>;
}

// PostgreSQL's type oids (pg_type) of the values parsed here; every other type is left as the text it comes as.
const BOOL = 16;
const INT8 = 20;
const INT2 = 21;
const INT4 = 23;
const FLOAT4 = 700;
const FLOAT8 = 701;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const asText = (v: string): unknown => v;

/**
 * Values as the direct statements give them (direct.ts): integers as numbers (int8 too, when safe), booleans as
 * booleans, instants as Dates (a TIMESTAMP column holds UTC, as the adapter writes it), anything else as text.
 */
export function parserOf(oid: number): (v: string) => unknown {
  switch (oid) {
    case BOOL:
      return (v) => v === 't';
    case INT8:
      return integer;
    case INT2:
    case INT4:
    case FLOAT4:
    case FLOAT8:
      return Number;
    case TIMESTAMP:
      return (v) => new Date(`${v.replace(' ', 'T')}Z`);
    case TIMESTAMPTZ:
      return (v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
    default:
      return asText;
  }
}

/** A simple query (values, if any, written in): one result per statement, values parsed by parserOf. */
export async function simpleQuery(client: SimpleClient, text: string): Promise<SimpleResult[]> {
  const answer = await client.query({ text, types: { getTypeParser: parserOf } });
  return Array.isArray(answer) ? answer : [answer];
}

/**
 * The batch as one simple query in one implicit transaction, or undefined when a value cannot be written in (the
 * caller runs it statement by statement). Each statement's outcome as runOn gives it: the rows of a `returning`
 * one, the rows the others changed.
 */
export async function runScript(pool: SimpleClient, qs: readonly BatchStatement[]): Promise<BatchOutcome[] | undefined> {
  const texts: string[] = [];
  for (const q of qs) {
    const text = inlined(isReturning(q) ? q.returning : q);
    if (text === undefined) return undefined;
    texts.push(text);
  }
  const results = await simpleQuery(pool, texts.join(';\n'));
  if (results.length !== qs.length) throw new Error(`batch of ${qs.length} statement(s) answered with ${results.length} result(s)`);
  return qs.map((q, i) => (isReturning(q) ? results[i]!.rows : (results[i]!.rowCount ?? 0)));
}
