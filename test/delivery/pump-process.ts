/**
 * A separate OS process delivering the outbox of a shared database to a (fake) Telegram Bot API through the real
 * Telegraf client, on real time, until it is killed: `pump-process.ts <processId> <apiRoot> <token>`. The
 * configuration (database, limits, lease, send timeout) comes from the environment. Prints {"ready":true} once
 * started; its log goes to stderr.
 */
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/app.js';
import { deliveryOptionsFrom } from '../../src/delivery/dispatcher.js';
import { startDispatcher } from '../../src/delivery/loop.js';
import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js';

const [processId, apiRoot, token] = process.argv.slice(2) as [string, string, string];
const deps = await createDeps(loadConfig(process.env), systemClock);
const options = deliveryOptionsFrom(deps.config, processId);
// the adapter aborts a hung call a little before the dispatcher gives up on the send
const adapter = createTelegramAdapter({ token, apiRoot, callTimeoutMs: Math.max(200, options.sendTimeoutMs - 300) });
startDispatcher(deps.db, systemClock, new Map([['telegram', adapter]]), (l) => process.stderr.write(`[${processId}] ${l}\n`), options, 100);
process.stdout.write('{"ready":true}\n');
process.once('SIGTERM', () => void deps.db.$disconnect().finally(() => process.exit(0)));
