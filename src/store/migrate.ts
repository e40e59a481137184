/**
 * Applies prisma/migrations/<name>/migration.sql in name order, each once, through the driver adapter
 * (no native engine, no CLI at start-up). Applied names are kept in _app_migrations. Two processes starting together
 * on one file: each migration runs in a write transaction that holds the write lock from its start and looks again
 * whether the other process applied it meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { retryWhenBusy, withWriteTransaction } from './write.js';

/** prisma/migrations of the project, found upward from this module (run from src/ with tsx or from dist/src/ compiled). */
function migrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('prisma/migrations not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
const MIGRATIONS_DIR = migrationsDir();

export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

export async function applyMigrations(db: PrismaClient, dir = MIGRATIONS_DIR): Promise<string[]> {
  await retryWhenBusy(() => db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)'));
  const done = new Set(await appliedNames(db));
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    if (done.has(name)) continue;
    const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
    const ran = await withWriteTransaction(
      db,
      async (tx) => {
        // Under the write lock now: another process may have applied it since we looked.
        if ((await appliedNames(tx)).includes(name)) return false;
        for (const stmt of splitStatements(sql)) await tx.$executeRawUnsafe(stmt);
        await tx.$executeRawUnsafe('INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES (?, CURRENT_TIMESTAMP)', name);
        return true;
      },
      { timeout: 120_000, seal: false },
    );
    if (ran) applied.push(name);
  }
  return applied;
}

async function appliedNames(db: Tx): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_app_migrations"');
  return rows.map((r) => r.name);
}
