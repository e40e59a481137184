/**
 * The inbox port: an adapter hands each update to `accept`, which records it durably and returns, so the platform
 * gets its answer at once (a webhook's 200, a long poll's next offset); a worker handles the recorded updates after,
 * in order per chat (inbox-worker.ts). Recorded but not handled before a crash: handled at the next start. Redelivered:
 * recorded once, and the router's own dedup (InboundMessage, write-group.ts) keeps a second handling from doing anything.
 */
import type { Incoming } from './chat-port.js';
import { formatChatRef } from './chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { recordUpdate } from '../store/inbound.repository.js';
import { createInboxWorker, type InboxWorkerOptions } from './inbox-worker.js';

export interface Inbox {
  /** Records the update (once per platform and id) and wakes the worker; resolves when it is committed. */
  accept(msg: Incoming): Promise<void>;
  /** Starts the worker: what is waiting from before is handled first, then each update as it is accepted. */
  start(): void;
  /** Stops the worker after the update in hand; what is not handled stays recorded for the next start. */
  stop(): Promise<void>;
  /** Handles what is waiting now (tests, and the worker's own rounds); the number handled. */
  drain(): Promise<number>;
}

export function createInbox(
  deps: { db: Db; clock: Clock },
  handle: (msg: Incoming) => Promise<void>,
  opts: Partial<InboxWorkerOptions> & { log?: (line: string) => void } = {},
): Inbox {
  const worker = createInboxWorker(deps, handle, opts.log ?? (() => undefined), opts);
  return {
    async accept(msg) {
      // Without an id a redelivery could not be told from a new message (the console has none): handled at once.
      if (!msg.platformMessageId) return handle(msg);
      const payload = JSON.stringify(msg);
      const at = deps.clock.now();
      if (await recordUpdate(deps.db, { platform: msg.platform, updateId: msg.platformMessageId, chatRef: formatChatRef(msg.chat), payload, at }))
        worker.kick();
    },
    start: () => worker.start(),
    stop: () => worker.stop(),
    drain: () => worker.drain(),
  };
}
