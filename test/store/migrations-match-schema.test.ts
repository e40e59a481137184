/**
 * The migrations in prisma/migrations, applied in order as at start, give exactly the tables, columns and indexes
 * that prisma/schema.prisma describes: a schema edit without its migration (or a migration merged twice) fails here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/prisma.js';
import { splitStatements } from '../../src/store/migrate.js';

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

describe('migrations', () => {
  it('applied in order, they build exactly what prisma/schema.prisma says', async () => {
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
