/**
 * Drains the outbox once: each deliverable message to the adapter of its platform, within the platform's limits and
 * outside quiet hours (see platform-pump.ts), then writes the dead-letter digest when one is due. The running bot
 * uses the same pumps in a loop (loop.ts), where a slow send never holds up the next pass.
 *
 * - A message is claimed (one conditional update) before it is sent, so two processes never send it twice; its
 *   result is written only while the claim is still this process's.
 * - A 429 is not a failure: the message waits for the platform's retry_after, counts no attempt, and the whole
 *   platform pauses until then (the pause is in the outbox, so every process's next claim sees it).
 * - Other failures back off (base·2^(attempt−1)); after the last attempt the message is dead, and the county admins
 *   get it in the next digest.
 * - At least once, not exactly once, across a crash: a process that dies between the platform call and marking the
 *   message sent leaves it "sending"; after the lease another process sends it again. No outbox can avoid that
 *   (the platform call and the database write are not one transaction); the alternative would be losing messages.
 *
 * Time comes only from the injected clock (send timeouts are real time: they bound a real network call).
 */
import type { ChatAdapter } from '../core/chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './options.js';
import { PlatformPump, type DeliveryEvent } from './platform-pump.js';
import { writeDigestIfDue, type Digest } from './dead-letter.js';

export { DEFAULT_DELIVERY, DEFAULT_LEASE_MS, deliveryOptionsFrom, type DeliveryOptions } from './options.js';

export interface DeadLetter {
  id: number;
  chatRef: string;
  kind: string;
  attempts: number;
  error: string;
}

export interface DrainResult {
  sent: number;
  /** Failed this round, retried after the backoff. */
  failed: number;
  dead: number;
  deadLetters: DeadLetter[];
  /** Left for a later round by a limit, a 429 pause, the chat's earlier message or a full platform. */
  held: number;
  /** 429s this round: the platform and the seconds it asked for. */
  rateLimited: { platform: string; seconds: number }[];
  /** Platforms whose daily cap is reached. */
  capped: string[];
  /** Results not written because another process had taken the message over (its lease had run out). */
  lostClaims: number;
  /** The dead-letter digest written this round, if one was due. */
  digest: Digest | null;
}

export function emptyResult(): DrainResult {
  return { sent: 0, failed: 0, dead: 0, deadLetters: [], held: 0, rateLimited: [], capped: [], lostClaims: 0, digest: null };
}

/** Adds one event to a result. */
export function tally(r: DrainResult, e: DeliveryEvent): void {
  switch (e.type) {
    case 'sent':
      r.sent++;
      return;
    case 'failed':
      r.failed++;
      return;
    case 'dead':
      r.dead++;
      r.deadLetters.push({ id: e.id, chatRef: e.chatRef, kind: e.kind, attempts: e.attempts, error: e.error });
      return;
    case 'held':
      r.held++;
      return;
    case 'rateLimited':
      r.rateLimited.push({ platform: e.platform, seconds: e.seconds });
      return;
    case 'capped':
      if (!r.capped.includes(e.platform)) r.capped.push(e.platform);
      return;
    case 'lostClaim':
      r.lostClaims++;
      return;
    case 'error':
      return;
  }
}

/** Passes until nothing more can go at this instant, every platform side by side. Bounded: each pass claims or ends. */
const MAX_PASSES = 100_000;

export async function drainOutbox(
  db: Db,
  clock: Clock,
  adapters: ReadonlyMap<string, ChatAdapter>,
  options: Partial<DeliveryOptions> = {},
): Promise<DrainResult> {
  const o: DeliveryOptions = { ...DEFAULT_DELIVERY, ...options };
  const r = emptyResult();
  await Promise.all(
    [...adapters.values()].map(async (a) => {
      // what the last pass held is what is left for a later round
      let held = 0;
      const p = new PlatformPump(db, clock, a, o, (e) => (e.type === 'held' ? held++ : tally(r, e)));
      for (let i = 0; i < MAX_PASSES; i++) {
        held = 0;
        const claimed = await p.pass();
        await p.idle();
        if (claimed === 0) break;
      }
      r.held += held;
    }),
  );
  r.digest = await writeDigestIfDue(db, clock.now(), o, new Set(adapters.keys()));
  return r;
}
