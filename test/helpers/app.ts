/**
 * A real app on a real SQLite file in a temp directory, with a manual clock; in the vitest project "pg" on its own
 * freshly created PostgreSQL database instead (see helpers/pg.ts), dropped at close.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import type { Deps } from '../../src/services/deps.js';
import { seedDemo } from '../../src/seed.js';
import { ConsoleSession } from '../../src/console/session.js';
import { freshPgDatabase, onPostgres } from './pg.js';

export interface TestApp {
  deps: Deps;
  clock: ManualClock;
  dir: string;
  session: ConsoleSession;
  close(): Promise<void>;
}

export async function makeApp(opts: { now?: string; env?: Record<string, string>; demo?: boolean } = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-'));
  const clock = new ManualClock(opts.now ?? '2026-11-20T08:00:00+08:00');
  const pg = onPostgres() ? await freshPgDatabase() : undefined;
  const config = loadConfig({ DATABASE_URL: pg?.url ?? `file:${path.join(dir, 'test.db')}`, REPORTS_DIR: path.join(dir, 'reports'), ...opts.env });
  const deps = await createDeps(config, clock);
  if (opts.demo !== false) await seedDemo(deps.db, clock.now());
  const session = new ConsoleSession(deps);
  await session.start();
  return {
    deps,
    clock,
    dir,
    session,
    async close() {
      await deps.db.$disconnect();
      await pg?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
