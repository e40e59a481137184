/**
 * Handles the inbox's recorded updates: oldest first, one chat's updates in the order they came, up to `lanes` chats
 * at a time. Woken by each accepted update, at start, and every `pollMs` (updates another process recorded, tries that
 * failed). An update whose handling throws is tried again later, its chat's later updates waiting behind it, and set
 * aside after `maxAttempts` tries with its error logged and kept.
 *
 * No rounds: updates accepted while others are in hand are read at once and join them, and a lane, once its update is
 * handled, takes the chat that has waited longest (its own next update waits its turn behind the other chats'). So
 * every chat with something waiting has its next update in hand, up to `lanes`, and the handlings that wait together
 * share one write transaction (write-group.ts). A round that first finished what it had read before reading more left
 * the lanes idle at its end, and the messages that came meanwhile waiting for it.
 *
 * Handled updates are marked so in one statement for many, not one transaction each. Handled but not yet marked when
 * the process dies: handled again at the next start, where the router's dedup (InboundMessage, written in the
 * handling's own transaction) makes it a no-op.
 */
import type { Incoming } from './chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { markUpdateFailed, markUpdatesHandled, pruneHandledUpdates, unhandledUpdates, type InboundUpdateRow } from '../store/inbound.repository.js';

export interface InboxWorkerOptions {
  /**
   * Chats handled at the same time, each chat's updates still one after another in order (default 24, a write batch's
   * most, write-group.ts: the handlings waiting while one batch of them writes share the next write transaction).
   */
  lanes: number;
  /** Updates read at a time beyond those held already (default 200). */
  batch: number;
  /** Tries before an update is set aside (default 5). */
  maxAttempts: number;
  /** Look for waiting updates at least this often, in ms (default 30 s). */
  pollMs: number;
  /** Handled updates are forgotten after this many days (default 7). */
  keepDays: number;
}

const DEFAULTS: InboxWorkerOptions = { lanes: 24, batch: 200, maxAttempts: 5, pollMs: 30_000, keepDays: 7 };

/** A chat whose update failed is left alone this long (or until the worker is idle) before its update is tried again. */
const RETRY_AFTER_MS = 1000;

/** Handled updates are marked in the database by the next read once this many wait to be (and whenever the worker is idle). */
const MARK_EVERY = 50;

export function createInboxWorker(
  deps: { db: Db; clock: Clock },
  handle: (msg: Incoming) => Promise<void>,
  log: (line: string) => void,
  options: Partial<InboxWorkerOptions> = {},
) {
  const o = { ...DEFAULTS, ...options };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let started = false;
  let stopped = false;

  // Every update read and not yet marked handled in the database (waiting, in hand or handled), by id.
  const held = new Set<number>();
  // Each chat's waiting updates, oldest first.
  const waiting = new Map<string, InboundUpdateRow[]>();
  // Chats with an update waiting and none in hand, the one waiting longest first.
  const ready: string[] = [];
  // Chats with an update in hand.
  const inHand = new Set<string>();
  // Chats whose update failed, and when: left alone until RETRY_AFTER_MS has passed or the worker is idle.
  const failedAt = new Map<string, number>();
  // Handled, not yet marked.
  let done: number[] = [];
  // Set by a kick while a drain runs: read again before the drain ends. `nudge` wakes the drain waiting on its lanes.
  let kicked = false;
  let nudge: () => void = () => undefined;

  async function markDone(): Promise<void> {
    if (done.length === 0) return;
    const ids = done;
    done = [];
    try {
      await markUpdatesHandled(deps.db, ids, deps.clock.now());
    } finally {
      // Marked, or left unhandled in the database (read again and found a duplicate by the router's dedup).
      for (const id of ids) held.delete(id);
    }
  }

  /**
   * Reads what waits now, skipping what is held and the chats left alone after a failure (and first marks what was
   * handled, when enough has been); true when there may be more than it read (a full read that found something new).
   */
  async function fill(): Promise<boolean> {
    if (done.length >= MARK_EVERY) await markDone();
    const now = deps.clock.now().getTime();
    for (const [chat, at] of failedAt) if (now - at >= RETRY_AFTER_MS) failedAt.delete(chat);
    const limit = o.batch + held.size;
    const rows = await unhandledUpdates(deps.db, limit);
    let added = 0;
    for (const r of rows) {
      if (held.has(r.id) || failedAt.has(r.chatRef)) continue;
      held.add(r.id);
      added++;
      const list = waiting.get(r.chatRef);
      if (list) {
        // In id order, also when a lower id committed after a higher one was read.
        let k = list.length;
        while (k > 0 && list[k - 1]!.id > r.id) k--;
        list.splice(k, 0, r);
      } else {
        waiting.set(r.chatRef, [r]);
        if (!inHand.has(r.chatRef)) ready.push(r.chatRef);
      }
    }
    return rows.length >= limit && added > 0;
  }

  const waitingCount = () => {
    let n = 0;
    for (const list of waiting.values()) n += list.length;
    return n;
  };

  /** Forgets what waits of a chat (read again, in order, once it is tried again). */
  function setAside(chat: string): void {
    for (const r of waiting.get(chat) ?? []) held.delete(r.id);
    waiting.delete(chat);
  }

  /** The chat's oldest waiting update; true when it was handled. */
  async function handleNext(chat: string): Promise<boolean> {
    const list = waiting.get(chat)!;
    const row = list.shift()!;
    inHand.add(chat);
    let ok = false;
    try {
      await handle(JSON.parse(row.payload) as Incoming);
      ok = true;
      done.push(row.id);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const giveUp = row.attempts + 1 >= o.maxAttempts;
      log(`inbox: update #${row.id} in ${row.chatRef} failed (try ${row.attempts + 1} of ${o.maxAttempts})${giveUp ? ', set aside' : ''}: ${error}`);
      await markUpdateFailed(deps.db, row.id, error, deps.clock.now(), giveUp).catch((err: Error) =>
        log(`inbox: could not record the failure of #${row.id}: ${err.message}`),
      );
      held.delete(row.id);
      failedAt.set(chat, deps.clock.now().getTime());
    } finally {
      inHand.delete(chat);
    }
    if (!ok) setAside(chat);
    else if (list.length === 0) waiting.delete(chat);
    else ready.push(chat);
    // Handling runs on the database driver's synchronous calls and can go on without ever leaving the microtask
    // queue: let waiting requests (a webhook's next updates) in between two updates.
    await new Promise((r) => setImmediate(r));
    return ok;
  }

  /** Handles what waits until nothing does (what comes meanwhile included); the number handled. */
  async function drainNow(): Promise<number> {
    busy = true;
    let handled = 0;
    const lanes = new Set<Promise<void>>();
    try {
      let more = false;
      // Read when a kick says something new was recorded, or when the last read was full and few chats are left
      // waiting; not while a read's worth waits already (each read skips what is held: a burst is read in pieces).
      const mayRead = () => !stopped && lanes.size < o.lanes && (kicked || (more && ready.length < o.lanes)) && waitingCount() < o.batch;
      let read = true;
      for (;;) {
        if (read) {
          read = false;
          kicked = false;
          more = await fill();
        }
        while (!stopped && lanes.size < o.lanes && ready.length > 0) {
          const lane: Promise<void> = handleNext(ready.shift()!)
            .then((ok) => void (ok && handled++))
            .finally(() => lanes.delete(lane));
          lanes.add(lane);
        }
        if (lanes.size === 0 && !mayRead()) return handled;
        if (lanes.size > 0) await Promise.race([...lanes, new Promise<void>((r) => (nudge = r))]);
        read = mayRead();
      }
    } finally {
      await Promise.allSettled([...lanes]);
      // Idle: what waits is read afresh next time, failed chats included.
      for (const chat of [...waiting.keys()]) setAside(chat);
      ready.length = 0;
      failedAt.clear();
      await markDone().catch((e: Error) => log(`inbox: could not mark updates handled: ${e.message}`));
      busy = false;
      // Kicked after the drain decided to end: the next one reads it.
      if (kicked && started && !stopped) {
        kicked = false;
        kick();
      }
    }
  }

  /** One drain after the one running (if any): two never run at once. */
  function drain(): Promise<number> {
    const next = running.then(drainNow, drainNow);
    running = next.catch(() => undefined);
    return next;
  }

  function kick(): void {
    if (!started) return;
    if (busy) {
      kicked = true;
      nudge();
      return;
    }
    busy = true; // a second kick before the drain starts joins it
    void drain().catch((e: Error) => log(`inbox: round failed: ${e.message}`));
  }

  async function tidy(): Promise<void> {
    const before = new Date(deps.clock.now().getTime() - o.keepDays * 86_400_000);
    await pruneHandledUpdates(deps.db, before).catch((e: Error) => log(`inbox: could not prune handled updates: ${e.message}`));
  }

  return {
    kick,
    drain,
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
      nudge();
      await running;
    },
  };
}
