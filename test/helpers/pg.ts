/**
 * PostgreSQL for tests: when the vitest project "pg" runs (KCBX_TEST_PG=1, TEST_DATABASE_URL set, see
 * vitest.config.ts), every app or database a test opens gets its own freshly created database on that server, dropped
 * when the test closes it. Only 127.0.0.1 is allowed.
 */
import { PrismaPg } from '@prisma/adapter-pg';

/** True in the "pg" vitest project: DB-opening helpers open PostgreSQL instead of a SQLite file. */
export function onPostgres(): boolean {
  return process.env.KCBX_TEST_PG === '1' && !!process.env.TEST_DATABASE_URL;
}

function serverUrl(): URL {
  const raw = process.env.TEST_DATABASE_URL;
  if (!raw) throw new Error('TEST_DATABASE_URL is not set');
  const url = new URL(raw);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`TEST_DATABASE_URL must point at 127.0.0.1, got ${url.hostname}`);
  return url;
}

async function admin<T>(run: (sql: (text: string) => Promise<number>) => Promise<T>): Promise<T> {
  const adapter = await new PrismaPg({ connectionString: serverUrl().toString(), max: 1 }).connect();
  try {
    return await run((sql) => adapter.executeRaw({ sql, args: [], argTypes: [] }));
  } finally {
    await adapter.dispose();
  }
}

let counter = 0;

export interface PgDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server; `drop()` removes it (closing whatever is still connected). */
export async function freshPgDatabase(): Promise<PgDatabase> {
  const name = `kcbx_t_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await admin((sql) => sql(`CREATE DATABASE "${name}"`));
  const url = serverUrl();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((sql) => sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
