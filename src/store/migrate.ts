/**
 * Applies the migrations of the database's dialect in name order, each once, through the driver adapter (no native
 * engine, no CLI at start-up): prisma/migrations/<name>/migration.sql for SQLite, prisma/migrations-postgresql/ for
 * PostgreSQL. Applied names are kept in _app_migrations. Two processes starting together: each migration runs in a
 * write transaction that holds the write lock from its start (SQLite's BEGIN IMMEDIATE; on PostgreSQL the advisory
 * write lock every transaction takes, see pg-serialized.ts) and looks again whether the other process applied it
 * meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { dialect, type Tx } from './prisma.js';
import { withWriteTransaction } from './write.js';

/** A folder under prisma/ of the project, found upward from this module (run from src/ with tsx or from dist/src/ compiled). */
function prismaDir(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'prisma', name);
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`prisma/${name} not found above ` + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The migrations folder of a dialect. */
export function migrationsDir(of: 'sqlite' | 'postgresql'): string {
  return prismaDir(of === 'postgresql' ? 'migrations-postgresql' : 'migrations');
}

/**
 * The statements of a migration script: split at each `;` that ends a line, outside quotes ('…', "…") and
 * dollar-quoted bodies ($$…$$, $tag$…$tag$, as in PostgreSQL's DO blocks and functions); `--` comment lines dropped.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  const push = () => {
    const s = current.trim();
    if (s.length > 0) out.push(s);
    current = '';
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(ch, j);
        if (k === -1) {
          j = sql.length;
          break;
        }
        if (sql[k + 1] === ch) {
          j = k + 2; // doubled quote inside the literal
          continue;
        }
        j = k + 1;
        break;
      }
      current += sql.slice(i, j);
      i = j;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        const j = end === -1 ? sql.length : end + tag.length;
        current += sql.slice(i, j);
        i = j;
        continue;
      }
    }
    if (ch === ';') {
      const rest = /^[ \t]*(\r?\n|$)/.exec(sql.slice(i + 1));
      if (rest) {
        push();
        i += 1 + rest[0].length;
        continue;
      }
    }
    current += ch;
    i++;
  }
  push();
  return out;
}

export async function applyMigrations(db: PrismaClient, dir = migrationsDir(dialect(db))): Promise<string[]> {
  await withWriteTransaction(
    db,
    (tx) => tx.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)'),
    {
      seal: false,
    },
  );
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
        await tx.$executeRaw(Prisma.sql`INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES (${name}, CAST(CURRENT_TIMESTAMP AS TEXT))`);
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
