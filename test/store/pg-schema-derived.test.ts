/** prisma/postgresql/schema.prisma is prisma/schema.prisma for PostgreSQL, derived by scripts/pg-schema.mjs and checked in. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { derivePgSchema } from '../../scripts/pg-schema.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the PostgreSQL schema', () => {
  it('is up to date with prisma/schema.prisma (run node scripts/pg-schema.mjs after a schema edit)', () => {
    const source = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
    const derived = fs.readFileSync(path.join(root, 'prisma/postgresql/schema.prisma'), 'utf8');
    expect(derived).toBe(derivePgSchema(source));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output     = "../../generated/prisma-pg"');
  });
  it('differs from its source only in provider and output', () => {
    const source = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
    const models = (s: string) => s.slice(s.indexOf('model '));
    expect(models(derivePgSchema(source))).toBe(models(source));
  });
});
