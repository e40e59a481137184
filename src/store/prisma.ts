/**
 * The database handle. The store layer is the only place that imports the Prisma client, and the only place that
 * knows which database it is: SQLite (a `file:` URL, the default) or PostgreSQL (`postgresql://` / `postgres://`).
 * Both clients are generated from one schema (prisma/postgresql/schema.prisma is derived from prisma/schema.prisma),
 * so the PostgreSQL client is used under the SQLite client's type; the few statements that differ ask `dialect()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaClient } from '../../generated/prisma/client.js';
import { serveDirectly } from './direct.js';
import { applyMigrations } from './migrate.js';
import { immediateSqlite } from './sqlite-immediate.js';
import { retryWhenBusy } from './write.js';

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
export type Dialect = 'sqlite' | 'postgresql';

/** True for a URL openDatabase opens with PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** The database URL as people may see it (console banner, logs): a PostgreSQL password becomes ***. */
export function databaseForDisplay(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url.trim());
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** Which database a client (or a transaction's client) talks to. */
export function dialect(db: Db | Tx): Dialect {
  return (db as unknown as { _activeProvider?: string })._activeProvider === 'postgresql' ? 'postgresql' : 'sqlite';
}

/** Opens and migrates the database: a `file:` URL (creating the file and directory if needed) or a PostgreSQL URL. */
export async function openDatabase(url: string): Promise<Db> {
  if (isPostgresUrl(url)) {
    // Loaded only for PostgreSQL: a SQLite deployment never pays for the second client, the pg driver or its adapter.
    const [{ PrismaClient: PgPrismaClient }, { serializedPg }] = await Promise.all([
      import('../../generated/prisma-pg/client.js'),
      import('./pg-serialized.js'),
    ]);
    const adapter = serializedPg(url.trim());
    const db = new PgPrismaClient({ adapter }) as unknown as Db;
    serveDirectly(db, adapter.direct);
    await applyMigrations(db);
    return db;
  }
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL: file: (SQLite) or postgresql:// URLs are supported, got "${url}"`);
  }
  const file = url.slice('file:'.length);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // `timeout` is SQLite's busy timeout: how long a statement waits for another process's write lock.
  const adapter = immediateSqlite({ url: file, timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  serveDirectly(db, adapter.direct);
  // Switching to WAL needs the file to itself for a moment: a second process starting at once may hold it.
  await retryWhenBusy(() => db.$queryRawUnsafe('PRAGMA journal_mode = WAL'));
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  await applyMigrations(db);
  return db;
}
