/** The database URL shown on the console banner never carries a PostgreSQL password. */
import { describe, expect, it } from 'vitest';
import { databaseForDisplay } from '../../src/store/prisma.js';

describe('databaseForDisplay', () => {
  it('hides a PostgreSQL password, keeps the rest', () => {
    expect(databaseForDisplay('postgresql://bot:s3cr%40t@db.example:5432/kongchuo')).toBe('postgresql://bot:***@db.example:5432/kongchuo');
    expect(databaseForDisplay('postgres://bot:pa:ss@127.0.0.1/k?sslmode=require')).not.toContain('pa:ss');
    expect(databaseForDisplay('postgresql://postgres@127.0.0.1:5432/kongchuo')).toBe('postgresql://postgres@127.0.0.1:5432/kongchuo');
  });
  it('a SQLite file is shown as it is', () => {
    expect(databaseForDisplay('file:./data/kongchuo.db')).toBe('file:./data/kongchuo.db');
  });
});
