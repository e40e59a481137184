/** The database handle. The store layer is the only place that imports the Prisma client. */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaClient } from '../../generated/prisma/client.js';
import { applyMigrations } from './migrate.js';
import { immediateSqlite } from './sqlite-immediate.js';
import { retryWhenBusy } from './write.js';

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Opens (creating the file and directory if needed) and migrates the database named by a `file:` URL. */
export async function openDatabase(url: string): Promise<Db> {
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL: only file: (SQLite) URLs are supported by this build, got "${url}"`);
  }
  const file = url.slice('file:'.length);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // `timeout` is SQLite's busy timeout: how long a statement waits for another process's write lock.
  const adapter = immediateSqlite({ url: file, timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  // Switching to WAL needs the file to itself for a moment: a second process starting at once may hold it.
  await retryWhenBusy(() => db.$queryRawUnsafe('PRAGMA journal_mode = WAL'));
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 10000');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  await applyMigrations(db);
  return db;
}
