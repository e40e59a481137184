/**
 * Handles the inbox's recorded updates: oldest first, one chat's updates in the order they came, a few chats at a
 * time. Woken by each accepted update, at start, and every `pollMs` (updates another process recorded, tries that
 * failed). An update whose handling throws is tried again at the next round, later updates of its chat waiting
 * behind it, and set aside after `maxAttempts` tries with its error logged and kept.
 *
 * Handled updates are marked so in one statement at the end of each round, not one transaction each. Handled but
 * not yet marked when the process dies: handled again at the next start, where the router's dedup (firstDelivery,
 * written in the handling's own transaction) makes it a no-op.
 */
import type { Incoming } from './chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { markUpdateFailed, markUpdatesHandled, pruneHandledUpdates, unhandledUpdates, type InboundUpdateRow } from '../store/inbound.repository.js';

export interface InboxWorkerOptions {
  /**
   * Chats handled at the same time, each chat's updates still one after another in order (default 16: the handlings
   * waiting while one batch of them writes share the next write transaction, write-group.ts, so more lanes make
   * fewer, larger transactions).
   */
  lanes: number;
  /** Updates read per round (default 200). */
  batch: number;
  /** Tries before an update is set aside (default 5). */
  maxAttempts: number;
  /** Look for waiting updates at least this often, in ms (default 30 s). */
  pollMs: number;
  /** Handled updates are forgotten after this many days (default 7). */
  keepDays: number;
}

const DEFAULTS: InboxWorkerOptions = { lanes: 16, batch: 200, maxAttempts: 5, pollMs: 30_000, keepDays: 7 };

export function createInboxWorker(
  deps: { db: Db; clock: Clock },
  handle: (msg: Incoming) => Promise<void>,
  log: (line: string) => void,
  options: Partial<InboxWorkerOptions> = {},
) {
  const o = { ...DEFAULTS, ...options };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let started = false;
  let stopped = false;

  /** One update; false when it failed (its chat's later updates wait for the next round). */
  async function handleOne(row: InboundUpdateRow, done: number[]): Promise<boolean> {
    try {
      await handle(JSON.parse(row.payload) as Incoming);
      done.push(row.id);
      return true;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const giveUp = row.attempts + 1 >= o.maxAttempts;
      log(`inbox: update #${row.id} in ${row.chatRef} failed (try ${row.attempts + 1} of ${o.maxAttempts})${giveUp ? ', set aside' : ''}: ${error}`);
      await markUpdateFailed(deps.db, row.id, error, deps.clock.now(), giveUp).catch((err: Error) =>
        log(`inbox: could not record the failure of #${row.id}: ${err.message}`),
      );
      return false;
    }
  }

  /** One batch: its chats in lanes, each chat's updates in order. The number handled. */
  async function round(): Promise<{ read: number; handled: number }> {
    const rows = await unhandledUpdates(deps.db, o.batch);
    const byChat = new Map<string, InboundUpdateRow[]>();
    for (const r of rows) {
      const list = byChat.get(r.chatRef);
      if (list) list.push(r);
      else byChat.set(r.chatRef, [r]);
    }
    const chats = [...byChat.values()];
    let next = 0;
    let handled = 0;
    const done: number[] = [];
    const lane = async () => {
      while (next < chats.length && !stopped) {
        for (const row of chats[next++]!) {
          if (stopped || !(await handleOne(row, done))) break;
          handled++;
          // Handling runs on the database driver's synchronous calls and can go on without ever leaving the
          // microtask queue: let waiting requests (a webhook's next updates) in between two updates.
          await new Promise((r) => setImmediate(r));
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: o.lanes }, lane));
    } finally {
      if (done.length > 0) await markUpdatesHandled(deps.db, done, deps.clock.now());
    }
    return { read: rows.length, handled };
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await round();
      total += r.handled;
      // A full batch all handled means there may be more; what failed (and its chat's later updates) waits for
      // the next round, not tried again at once.
      if (r.read < o.batch || r.handled < r.read || stopped) return total;
    }
  }

  function kick(): void {
    if (!started) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await drain().catch((e: Error) => log(`inbox: round failed: ${e.message}`));
      } while (again && !stopped);
    })().finally(() => (running = undefined));
  }

  async function tidy(): Promise<void> {
    const before = new Date(deps.clock.now().getTime() - o.keepDays * 86_400_000);
    await pruneHandledUpdates(deps.db, before).catch((e: Error) => log(`inbox: could not prune handled updates: ${e.message}`));
  }

  return {
    kick,
    drain: () => drain(),
    start() {
      started = true;
      stopped = false;
      timer = setInterval(() => {
        kick();
        void tidy();
      }, o.pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      started = false;
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
