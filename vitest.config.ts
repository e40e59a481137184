import { defineConfig } from 'vitest/config';

/**
 * Two projects. "sqlite": every test, each on its own SQLite files. "pg": the store, duty and delivery tests once more,
 * each app on its own freshly created PostgreSQL database (test/helpers/pg.ts), when TEST_DATABASE_URL names a server
 * at 127.0.0.1 (e.g. postgresql://postgres@127.0.0.1:5432/postgres; .ci/run sets it when one answers).
 */
const PG_FOLDERS = ['test/store/**/*.test.ts', 'test/duties/**/*.test.ts', 'test/delivery/**/*.test.ts'];
const pgUrl = process.env.TEST_DATABASE_URL?.trim();
const base = { environment: 'node' as const, testTimeout: 30_000, hookTimeout: 60_000 };

if (!pgUrl && !process.env.VITEST_WORKER_ID) {
  console.log(
    'PostgreSQL tests skipped: TEST_DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres), so test/store, test/duties and test/delivery run on SQLite only.',
  );
}

export default defineConfig({
  test: {
    projects: [
      { test: { ...base, name: 'sqlite', include: ['test/**/*.test.ts'], env: { TZ: 'UTC', KCBX_TEST_PG: '0' } } },
      ...(pgUrl ? [{ test: { ...base, name: 'pg', include: PG_FOLDERS, env: { TZ: 'UTC', KCBX_TEST_PG: '1', TEST_DATABASE_URL: pgUrl } } }] : []),
    ],
  },
});
