/**
 * A separate OS process draining the outbox of a shared database, driven over stdin for tests: each line
 * {"at": ISO} sets its clock and drains once into a recording console adapter; it answers with the texts it sent.
 */
import readline from 'node:readline';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { recordingAdapter } from './recording-adapter.js';

const clock = new ManualClock(process.argv[2]!);
const deps = await createDeps(loadConfig(process.env), clock);
const options = deliveryOptionsFrom(deps.config, process.argv[3]);
process.stdout.write('{"ready":true}\n');
for await (const raw of readline.createInterface({ input: process.stdin })) {
  clock.set((JSON.parse(raw) as { at: string }).at);
  const adapter = recordingAdapter('console');
  await drainOutbox(deps.db, clock, new Map([['console', adapter]]), options);
  process.stdout.write(`${JSON.stringify({ sent: adapter.sent.map((m) => m.text) })}\n`);
}
await deps.db.$disconnect();
