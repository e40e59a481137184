/**
 * Delivery on one platform. A pass reads what is due, oldest first, and claims each chat's next message while the
 * platform has room: rate windows, a 429 pause and the daily cap are checked by the claim itself, in the database,
 * against every process's claims. Up to `concurrency` messages are in flight at once, never two for one chat, so a
 * hung chat holds one place and the others go on; a platform with concurrency 1 sends within the pass, in order.
 *
 * Each send is bounded by the send timeout (well under the lease), and its result is written only while this process
 * still holds the claim: a process whose claim was taken over logs that and leaves the other's result alone.
 */
import { chatRefOrUndefined, RateLimitedError, type Attachment, type Button, type ChatAdapter, type ChatRef } from '../core/chat-port.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { inWindow, instantAt, localParts } from '../domain/zoned-time.js';
import {
  claimMany,
  claimCountSince,
  deliverable,
  markFailed,
  markRateLimited,
  markSent,
  type ClaimGuard,
  type ClaimToken,
} from '../store/outbox.repository.js';
import { ClaimHistory } from './claim-history.js';
import type { DeliveryOptions } from './options.js';

export type DeliveryEvent =
  | { type: 'sent'; id: number; platform: string }
  | { type: 'failed'; id: number; error: string }
  | { type: 'dead'; id: number; chatRef: string; kind: string; attempts: number; error: string }
  | { type: 'held' }
  | { type: 'rateLimited'; platform: string; seconds: number }
  | { type: 'capped'; platform: string }
  | { type: 'lostClaim'; id: number; outcome: string }
  | { type: 'error'; id: number; error: string };

type Row = Awaited<ReturnType<typeof deliverable>>['rows'][number];

const PAGE = 200;
/** A pass that has waited this long for places ends; the next reads pauses, windows and the outbox afresh. */
const PASS_MS = 5000;

export class SendTimeoutError extends Error {
  constructor(ms: number) {
    super(`发送超时：平台 ${Math.round(ms / 1000)} 秒内没有应答 (send timed out after ${ms} ms)`);
    this.name = 'SendTimeoutError';
  }
}

/** The send, or a SendTimeoutError after `ms` (the adapter's own call may still finish; it is not waited for). */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SendTimeoutError(ms)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class PlatformPump {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Set the moment a 429 arrives, before it is written down: no claim of this process goes out after it. */
  private pausedUntil = 0;
  /** Recent platform calls, every process's, when the platform has limits: kept from pass to pass. */
  private readonly history: ClaimHistory | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly adapter: ChatAdapter,
    private readonly o: DeliveryOptions,
    private readonly emit: (e: DeliveryEvent) => void,
    private readonly onSettled: () => void = () => undefined,
  ) {
    const history = o.limits ? new ClaimHistory(o.limits, adapter.platform, o.processId) : undefined;
    this.history = history?.limited ? history : undefined;
  }

  get platform(): string {
    return this.adapter.platform;
  }

  /** Resolves when nothing of this platform is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  /** One pass over what is due; returns how many messages it claimed. */
  async pass(): Promise<number> {
    const { db, clock, o, platform } = this;
    const start = clock.now();
    if (this.pausedUntil > start.getTime()) return 0;
    const concurrency = Math.max(1, o.concurrency[platform] ?? 1);
    const quiet = o.quietHours !== null && inWindow(localParts(start, o.timeZone).minutes, o.quietHours) ? { holdUrgent: o.holdUrgent } : null;
    const read = (afterId: number) => deliverable(db, { platform, now: clock.now(), leaseMs: o.leaseMs, quiet, afterId, limit: PAGE });
    // The first page first: a pass with nothing due reads nothing else (a pass runs after every message handled).
    const first = await read(0);
    if (first.rows.length === 0) return 0;
    if (first.pausedUntil) {
      // another process's 429, or this one's from before a restart
      this.pausedUntil = Math.max(this.pausedUntil, first.pausedUntil.getTime());
      return 0;
    }
    let page = first.rows;
    const history = this.history;
    if (history) await history.catchUp(db, start.getTime(), o.rateMarginMs);
    const limited = history?.limiter;
    const midnight = instantAt(localParts(start, o.timeZone).date, 0, o.timeZone);
    const cap = limited?.dailyCap(platform);
    let used = cap === undefined ? 0 : await claimCountSince(db, platform, midnight);
    /** Chats whose next message waits this pass (held, refused, failed): their later messages wait behind it. */
    const blocked = new Set<string>();
    let claimed = 0;
    while (page.length > 0) {
      const afterId = page.at(-1)!.id;
      let next = 0;
      while (next < page.length) {
        // full: wait for a place rather than read the page again; a long pass ends so the next one reads afresh
        while (this.inFlight.size >= concurrency) await Promise.race(this.inFlight.values());
        if (clock.now().getTime() - start.getTime() > PASS_MS) return claimed;
        const now = clock.now();
        if (this.pausedUntil > now.getTime()) return claimed;
        // A wave: as many messages as there are places, each of another chat, claimed in one transaction.
        const wave: { m: Row; chat: ChatRef | undefined; guard: ClaimGuard }[] = [];
        const inWave = new Set<string>();
        let capped = false;
        for (; next < page.length && wave.length < concurrency - this.inFlight.size; next++) {
          const m = page[next]!;
          if (blocked.has(m.chatRef) || this.inFlight.has(m.chatRef) || inWave.has(m.chatRef)) {
            blocked.add(m.chatRef);
            this.emit({ type: 'held' });
            continue;
          }
          // a malformed ref fails like a refused send: backoff, dead, reported
          const chat = chatRefOrUndefined(m.chatRef);
          if (cap !== undefined && used + wave.length >= cap) {
            capped = true;
            break;
          }
          if (limited && chat && limited.waitMs(chat, now.getTime(), o.rateMarginMs) > 0) {
            blocked.add(m.chatRef);
            this.emit({ type: 'held' });
            continue;
          }
          const guard = { platform, quiet, windows: limited && chat ? limited.claimWindows(chat, now.getTime(), o.rateMarginMs, midnight) : [] };
          wave.push({ m, chat, guard });
          inWave.add(m.chatRef);
          // counted at once, so the wave's later messages leave room for it; taken back if its claim fails
          if (limited && chat) limited.record(chat, now.getTime());
        }
        const tokens = await claimMany(
          db,
          wave.map((w) => ({ m: w.m, guard: w.guard })),
          o.processId,
          now,
          o.leaseMs,
        );
        for (const [k, { m, chat }] of wave.entries()) {
          const token = tokens[k];
          if (!token) {
            // another process has it, an older message of the chat goes first, or a window filled meanwhile
            blocked.add(m.chatRef);
            if (limited && chat) limited.unrecord(chat, now.getTime());
            continue;
          }
          claimed++;
          used++;
          let sent = false;
          const task = this.deliver(m, chat, token)
            .then((ok) => void (sent = ok))
            .finally(() => {
              this.inFlight.delete(m.chatRef);
              this.onSettled();
            });
          this.inFlight.set(m.chatRef, task);
          if (concurrency === 1) {
            await task;
            if (!sent) blocked.add(m.chatRef);
          }
        }
        if (capped) {
          this.emit({ type: 'capped', platform });
          return claimed;
        }
      }
      if (page.length < PAGE) break;
      page = (await read(afterId)).rows;
    }
    return claimed;
  }

  /** Sends a claimed message and writes the result; true when it went out. */
  private async deliver(m: Row, chat: ChatRef | undefined, token: ClaimToken): Promise<boolean> {
    const { db, clock, o, platform } = this;
    let failure: unknown;
    if (this.pausedUntil > clock.now().getTime()) {
      // a 429 came while this was being claimed: give it back, due when the pause ends, without calling the platform
      const ok = await markRateLimited(db, token, Math.ceil((this.pausedUntil - clock.now().getTime()) / 1000), new Date(this.pausedUntil)).catch(() => false);
      this.emit(ok ? { type: 'held' } : { type: 'lostClaim', id: m.id, outcome: 'given back after a 429' });
      return false;
    }
    try {
      if (!chat) throw new Error(`not a chat ref: ${m.chatRef}`);
      await withTimeout(
        this.adapter.send({
          id: m.id,
          chat,
          text: m.text,
          personId: m.personId,
          ...(m.buttons ? { buttons: JSON.parse(m.buttons) as Button[] } : {}),
          ...(m.attachment ? { attachment: JSON.parse(m.attachment) as Attachment } : {}),
        }),
        o.sendTimeoutMs,
      );
    } catch (e) {
      failure = e ?? new Error('send failed');
    }
    const after = clock.now();
    try {
      if (failure === undefined) {
        // If this write fails the message stays "sending" and goes again after the lease: at least once.
        if (await markSent(db, token, after)) this.emit({ type: 'sent', id: m.id, platform });
        else this.emit({ type: 'lostClaim', id: m.id, outcome: 'sent' });
        return true;
      }
      if (failure instanceof RateLimitedError) {
        const seconds = Math.max(1, Math.ceil(failure.retryAfterSeconds));
        const until = after.getTime() + seconds * 1000;
        this.pausedUntil = Math.max(this.pausedUntil, until);
        if (await markRateLimited(db, token, seconds, new Date(until))) this.emit({ type: 'rateLimited', platform, seconds });
        else this.emit({ type: 'lostClaim', id: m.id, outcome: `rate limited ${seconds}s` });
        return false;
      }
      const error = message(failure);
      const attempts = m.attempts + 1;
      const dead = attempts >= o.maxAttempts;
      const retryAt = dead ? null : new Date(after.getTime() + o.retryBaseSeconds * 1000 * 2 ** (attempts - 1));
      if (!(await markFailed(db, token, error, dead, retryAt))) this.emit({ type: 'lostClaim', id: m.id, outcome: `failed: ${error}` });
      else if (dead) this.emit({ type: 'dead', id: m.id, chatRef: m.chatRef, kind: m.kind, attempts, error });
      else this.emit({ type: 'failed', id: m.id, error });
    } catch (e) {
      // The result could not be written: the message stays "sending" and goes again after the lease.
      this.emit({ type: 'error', id: m.id, error: message(e) });
    }
    return failure === undefined;
  }
}
