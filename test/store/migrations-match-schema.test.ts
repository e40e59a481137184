/**
 * The migrations in prisma/migrations, applied in order as at start, give exactly the tables, columns and indexes
 * that prisma/schema.prisma describes: a schema edit without its migration (or a migration merged twice) fails here.
 * The same for prisma/migrations-postgresql against prisma/postgresql/schema.prisma, in the vitest project "pg".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/store/prisma.js';
import { splitStatements } from '../../src/store/migrate.js';
import { freshPgDatabase, onPostgres } from '../helpers/pg.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function shape(file: string): Record<string, unknown> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name`)
      .all() as { name: string }[];
    const out: Record<string, unknown> = {};
    for (const { name } of tables) {
      const columns = (
        db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]
      ).map((c) => [c.name, c.type, c.notnull, c.dflt_value, c.pk].join(' '));
      const indexes = (db.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number; origin: string }[])
        .filter((i) => i.origin === 'c')
        .map((i) => `${i.unique ? 'unique ' : ''}(${(db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name).join(',')})`)
        .sort();
      out[name] = { columns: columns.sort(), indexes };
    }
    return out;
  } finally {
    db.close();
  }
}

/** Tables (columns with type, nullability, default) and indexes (with their definition) of a PostgreSQL database. */
async function pgShape(db: Db): Promise<Record<string, unknown>> {
  const columns = await db.$queryRaw<
    { t: string; c: string }[]
  >`SELECT table_name::text AS "t", (column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, ''))::text AS "c"
    FROM information_schema.columns WHERE table_schema = 'public' AND left(table_name, 1) <> '_' ORDER BY 1, 2`;
  const indexes = await db.$queryRaw<
    { t: string; d: string }[]
  >`SELECT tablename::text AS "t", indexdef::text AS "d" FROM pg_indexes WHERE schemaname = 'public' AND left(tablename, 1) <> '_' ORDER BY 1, 2`;
  const out: Record<string, { columns: string[]; indexes: string[] }> = {};
  for (const r of columns) (out[r.t] ??= { columns: [], indexes: [] }).columns.push(r.c);
  for (const r of indexes) (out[r.t] ??= { columns: [], indexes: [] }).indexes.push(r.d);
  return out;
}

describe('migrations', () => {
  it.skipIf(!onPostgres())('PostgreSQL: prisma/migrations-postgresql applied in order build exactly what prisma/postgresql/schema.prisma says', async () => {
    const migrated = await freshPgDatabase();
    const fromSchema = await freshPgDatabase();
    try {
      const a = await openDatabase(migrated.url);
      const sql = execFileSync(
        path.join(root, 'node_modules/.bin/prisma'),
        [
          'migrate',
          'diff',
          '--config',
          'prisma/postgresql/prisma.config.ts',
          '--from-empty',
          '--to-schema-datamodel',
          'prisma/postgresql/schema.prisma',
          '--script',
        ],
        { cwd: root, env: { ...process.env, DATABASE_URL: fromSchema.url }, encoding: 'utf8' },
      );
      const b = await openDatabase(fromSchema.url); // migrates too: drop what it made, then build from the schema alone
      await b.$executeRawUnsafe('DROP SCHEMA public CASCADE');
      for (const stmt of splitStatements(sql)) await b.$executeRawUnsafe(stmt);
      const want = await pgShape(b);
      expect(Object.keys(want).length).toBeGreaterThan(40);
      expect(await pgShape(a)).toEqual(want);
      await a.$disconnect();
      await b.$disconnect();
    } finally {
      await migrated.drop();
      await fromSchema.drop();
    }
  });

  it.skipIf(onPostgres())('applied in order, they build exactly what prisma/schema.prisma says (SQLite; its PostgreSQL twin above)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-mig-'));
    try {
      const migrated = path.join(dir, 'migrated.db');
      const db = await openDatabase(`file:${migrated}`);
      await db.$disconnect();

      const sql = execFileSync(
        path.join(root, 'node_modules/.bin/prisma'),
        ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
        {
          cwd: root,
          env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 'unused.db')}` },
          encoding: 'utf8',
        },
      );
      const fromSchema = path.join(dir, 'schema.db');
      const fresh = new Database(fromSchema);
      for (const stmt of splitStatements(sql)) fresh.exec(stmt);
      fresh.close();

      expect(shape(migrated)).toEqual(shape(fromSchema));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
