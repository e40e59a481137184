// Prisma CLI configuration for the PostgreSQL schema (prisma/postgresql/schema.prisma, derived from
// prisma/schema.prisma by scripts/pg-schema.mjs). Like ../../prisma.config.ts: no native engines, the CLI talks to
// the database through the driver adapter.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const placeholder = path.join(here, '..', 'no-native-engine.txt');
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/postgres';

import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here, 'schema.prisma'),
  migrations: { path: path.join(here, '..', 'migrations-postgresql') },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL as string }),
});
