/**
 * A separate OS process running the duty runner on a shared database, driven over stdin for tests:
 * each line {"at": ISO} sets its clock and ticks; it answers one JSON line with what it ran and skipped.
 */
import readline from 'node:readline';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { createDutyRunner } from '../../src/duties/runner.js';
import { ALL_DUTIES } from '../../src/duties/index.js';

const clock = new ManualClock(process.argv[2]!);
const deps = await createDeps(loadConfig(process.env), clock);
const runner = createDutyRunner(deps, ALL_DUTIES, (l) => process.stderr.write(`${l}\n`));
process.stdout.write('{"ready":true}\n');
for await (const raw of readline.createInterface({ input: process.stdin })) {
  const { at } = JSON.parse(raw) as { at: string };
  clock.set(at);
  const r = await runner.tick();
  process.stdout.write(`${JSON.stringify({ ran: r.ran.length, skipped: r.skipped, failed: r.failed })}\n`);
}
await deps.db.$disconnect();
