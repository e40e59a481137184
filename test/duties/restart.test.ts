/**
 * Restart in the middle of the month: the process dies right after a tick queued the Friday prompts and before they
 * were delivered. A new process on the same database delivers them, repeats no duty and loses no message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, line, local, play, runnerFor } from '../helpers/duty-sim.js';
import { cast, events, expected, type Cast } from './scenario.js';
import { createDeps } from '../../src/app.js';
import { ConsoleSession } from '../../src/console/session.js';

let app: TestApp;
let c: Cast;
const log: string[] = [];
let pendingAtCrash = 0;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-01T00:00:00+08:00' });
  c = await cast(app);
  const ev = events(app, c);
  await play(app, runnerFor(app, log), '2026-11-01 00:00', '2026-11-13 14:30', ev);
  // 15:00: the tick queues the prompts; the process dies before delivering them.
  app.clock.set(local('2026-11-13 15:00'));
  await runnerFor(app, log).tick();
  pendingAtCrash = await app.deps.db.outbox.count({ where: { status: 'pending' } });
  await app.deps.db.$disconnect();
  // A new process: same database file and config, fresh runner (it looks back for missed duties) and session.
  const deps = await createDeps(app.deps.config, app.clock);
  const session = new ConsoleSession(deps);
  await session.start();
  app = { ...app, deps, session };
  await session.flush();
  await play(app, runnerFor(app, log), '2026-11-13 15:00', '2026-11-30 23:30', ev);
}, 120_000);
afterAll(async () => app?.close());

describe('a restart in the middle', () => {
  it('the crash left the Friday prompts queued, not sent', () => {
    expect(pendingAtCrash).toBe(3);
  });
  it('repeats none and loses none: the same messages as a month without restart', async () => {
    expect((await dutyMessages(app.deps.db)).map(line).sort()).toEqual(expected(c).map(line).sort());
    expect(await app.deps.db.outbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
  });
});
