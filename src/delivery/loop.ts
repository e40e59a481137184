/**
 * Delivery while platforms run: each platform's pump passes on a timer and again as soon as one of its sends
 * settles, independently of the others, so a hung chat or platform holds up nobody else. The same timer writes the
 * dead-letter digest when one is due and prunes old messages every hour. A failing pass is logged, never fatal.
 */
import type { ChatAdapter } from '../core/chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { pruneOutbox } from '../store/outbox-upkeep.repository.js';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './options.js';
import { PlatformPump, type DeliveryEvent } from './platform-pump.js';
import { writeDigestIfDue } from './dead-letter.js';

const PRUNE_EVERY_MS = 60 * 60_000;

/** Runs `job` now, or once more after the current run when asked while running. */
function serial(job: () => Promise<void>, log: (line: string) => void, what: string): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await job();
      } while (again);
    } catch (e) {
      log(`delivery: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  return () => void run();
}

/** How long a kick waits for more kicks to join it. */
const KICK_COALESCE_MS = 5;

export function startDispatcher(
  db: Db,
  clock: Clock,
  adapters: ReadonlyMap<string, ChatAdapter>,
  log: (line: string) => void,
  options: Partial<DeliveryOptions> = {},
  intervalMs = 500,
): { stop(): void; kick(): void; idle(): Promise<void> } {
  const o: DeliveryOptions = { ...DEFAULT_DELIVERY, ...options };
  const pumps = new Map<string, { pump: PlatformPump; kick: () => void }>();
  const capped = new Set<string>();
  let stopped = false;
  // A message that just died may complete a digest; other processes' dead messages are found by the timer's ticks.
  const event = (e: DeliveryEvent) => {
    describe(e, log, capped);
    if (e.type === 'dead') digest();
  };
  const pumpOf = (a: ChatAdapter) => {
    let p = pumps.get(a.platform);
    if (!p) {
      const entry: { pump: PlatformPump; kick: () => void } = { pump: undefined as unknown as PlatformPump, kick: () => undefined };
      entry.pump = new PlatformPump(db, clock, a, o, event, () => !stopped && entry.kick());
      entry.kick = serial(async () => void (await entry.pump.pass()), log, `${a.platform} pass`);
      pumps.set(a.platform, entry);
      p = entry;
    }
    return p;
  };
  const digest = serial(
    async () => {
      const d = await writeDigestIfDue(db, clock.now(), o, new Set(adapters.keys()));
      if (d)
        log(
          `delivery: dead-letter digest of ${d.messages} message(s) written for ${d.to.length} county admin(s): ${d.to.join(', ') || 'none bound — see npm run cli -- dead-letters'}`,
        );
    },
    log,
    'dead-letter digest',
  );
  let prunedAt = -Infinity;
  const prune = serial(
    async () => {
      const now = clock.now().getTime();
      if (now - prunedAt < PRUNE_EVERY_MS) return;
      prunedAt = now;
      const n = await pruneOutbox(db, new Date(now - o.retentionMs));
      if (n > 0) log(`delivery: pruned ${n} delivered, cancelled or dead message(s) older than ${Math.round(o.retentionMs / 86_400_000)} day(s)`);
    },
    log,
    'outbox pruning',
  );
  const pass = () => {
    if (stopped) return;
    for (const a of adapters.values()) pumpOf(a).kick();
  };
  const tick = () => {
    if (stopped) return;
    pass();
    digest();
    prune();
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  // A kick (a message handled, a duty ticked) starts a pass a moment later: the kicks of a burst of messages share one
  // pass, which claims everything they queued, instead of a pass (and its reads) per message. The digest and pruning
  // wait for the timer (the digest also for a message that dies), not for every burst.
  let kicked: NodeJS.Timeout | undefined;
  const kick = () => {
    if (stopped || kicked) return;
    kicked = setTimeout(() => {
      kicked = undefined;
      pass();
    }, KICK_COALESCE_MS);
  };
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
      if (kicked) clearTimeout(kicked);
    },
    kick,
    /** Resolves when no send is in flight (for a clean shutdown). */
    idle: async () => void (await Promise.all([...pumps.values()].map((p) => p.pump.idle()))),
  };
}

/** What delivery says in the log: failures, dead messages, 429 pauses, lost claims, a daily cap reached or lifted. */
function describe(e: DeliveryEvent, log: (line: string) => void, capped: Set<string>): void {
  switch (e.type) {
    case 'failed':
      return log(`delivery: message #${e.id} failed: ${e.error}; it will be retried with backoff`);
    case 'dead':
      return log(
        `delivery: message #${e.id} (${e.kind}) to ${e.chatRef} is dead after ${e.attempts} attempt(s): ${e.error}; the county admin gets it in the next digest`,
      );
    case 'rateLimited':
      return log(`delivery: ${e.platform} answered 429, pausing it for ${e.seconds}s; nothing is lost, sending resumes after`);
    case 'lostClaim':
      return log(`delivery: message #${e.id}: our claim ran out and another process took it over; our result (${e.outcome}) is not written`);
    case 'error':
      return log(`delivery: message #${e.id}: its result could not be written (${e.error}); it goes again after the lease`);
    case 'capped':
      if (!capped.has(e.platform)) log(`delivery: ${e.platform} reached its daily cap; the rest waits until local midnight`);
      capped.add(e.platform);
      return;
    case 'sent':
      capped.delete(e.platform);
      return;
    case 'held':
      return;
  }
}
