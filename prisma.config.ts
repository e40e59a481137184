// Prisma CLI configuration. The project never downloads Prisma's native engines: the client runs on driver
// adapters (engineType = "client") and the CLI uses its WebAssembly schema engine through the same adapter.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const placeholder = path.join(here, 'prisma', 'no-native-engine.txt');
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= placeholder;
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= placeholder;
process.env.DATABASE_URL ??= 'file:./data/kongchuo.db';

import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(here, 'prisma', 'migrations') },
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL as string }),
});
