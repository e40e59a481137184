/**
 * A separate OS process on a shared database, driven over stdin for tests (one JSON line each way):
 * `start`: says {"loaded":true}, waits for a line, opens (and migrates) the database, says {"ready":true}, exits.
 * `burst`: reads a line (a JSON list of Incoming), opens the database, says {"ready":true}, waits for a line, then
 * handles the whole list at once through the router and answers how many were handled, the errors and how long it took.
 */
import readline from 'node:readline';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { handleIncoming } from '../../src/core/router.js';
import type { Incoming } from '../../src/core/chat-port.js';

const [mode, now] = process.argv.slice(2);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const nextLine = async () => (await lines.next()).value as string;
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (mode === 'start') say({ loaded: true });
const burst = mode === 'burst' ? (JSON.parse(await nextLine()) as Incoming[]) : [];
if (mode === 'start') await nextLine();
const deps = await createDeps(loadConfig(process.env), new ManualClock(now!));
say({ ready: true });
if (mode === 'burst') {
  await nextLine();
  const t0 = performance.now();
  const results = await Promise.allSettled(burst.map((m) => handleIncoming(deps, m)));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  say({ handled: results.length - errors.length, errors, ms: Math.round(performance.now() - t0) });
}
await deps.db.$disconnect();
process.exit(0);
