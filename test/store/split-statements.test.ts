/** Migration scripts split into statements: at a `;` ending a line, never inside quotes or PostgreSQL dollar-quoted bodies. */
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/store/migrate.js';

describe('splitStatements', () => {
  it('splits at ; at the end of a line and drops -- comments', () => {
    const sql = `-- CreateTable\nCREATE TABLE "A" (\n  "id" INTEGER\n);\n\n-- CreateIndex\nCREATE INDEX "A_id" ON "A"("id");\n`;
    expect(splitStatements(sql)).toEqual(['CREATE TABLE "A" (\n  "id" INTEGER\n)', 'CREATE INDEX "A_id" ON "A"("id")']);
  });
  it('keeps a DO $$ … $$ block (its inner statements end lines with ;) as one statement', () => {
    const block = `DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'x') THEN\n    CREATE TYPE "x" AS ENUM ('a');\n  END IF;\nEND\n$$`;
    const fn = `CREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n$body$ LANGUAGE sql`;
    expect(splitStatements(`${block};\n${fn};\nSELECT 2;\n`)).toEqual([block, fn, 'SELECT 2']);
  });
  it('keeps ; and -- inside quoted text and identifiers, doubled quotes included', () => {
    const a = `INSERT INTO "T" ("note") VALUES ('a;\n-- not a comment;\nit''s')`;
    const b = `ALTER TABLE "odd;\nname" ADD COLUMN "x" TEXT`;
    expect(splitStatements(`${a};\n${b};\n`)).toEqual([a, b]);
  });
});
