/**
 * Drains the outbox: each deliverable message to the adapter of its platform, within the platform's limits and
 * outside quiet hours.
 *
 * - A message is claimed (one conditional update) before it is sent, so two processes never send it twice.
 * - A 429 is not a failure: the message waits for the platform's retry_after, counts no attempt, and the whole
 *   platform pauses until then (the pause is read back from the outbox, so it holds across rounds and processes).
 * - Other failures back off (base·2^(attempt−1)); after the last attempt the message is dead and, in the same
 *   transaction, the county admin is told.
 * - At least once, not exactly once, across a crash: a process that dies between the platform call and marking the
 *   message sent leaves it "sending"; after the lease another round sends it again. No outbox can avoid that
 *   (the platform call and the database write are not one transaction); the alternative would be losing messages.
 *
 * Time comes only from the injected clock.
 */
import { randomUUID } from 'node:crypto';
import { parseChatRef, RateLimitedError, type Attachment, type Button, type ChatAdapter, type ChatRef } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../store/prisma.js';
import { inWindow, instantAt, localParts } from '../domain/zoned-time.js';
import { claim, claimsSince, deliverable, markFailed, markRateLimited, markSent, rateLimitPauses, sentSince } from '../store/outbox.repository.js';
import { LONGEST_WINDOW_MS, RateLimiter, type PlatformLimits } from './rate-limits.js';
import { reportDead } from './dead-letter.js';

export interface DeliveryOptions {
  /** The county's timezone: quiet hours and the daily cap's midnight. */
  timeZone: string;
  /** Minutes after local midnight; the window may cross midnight. null: none. */
  quietHours: { start: number; end: number } | null;
  /** Quiet hours hold urgent messages too (replies never wait). */
  holdUrgent: boolean;
  /** After this many failed attempts a message is dead. */
  maxAttempts: number;
  /** Backoff after the n-th failure: base·2^(n−1) seconds. */
  retryBaseSeconds: number;
  /** Platform limits; null: none (the console, tests). */
  limits: PlatformLimits | null;
  /** Written into claimedBy: which process is sending a message. */
  processId: string;
  /** A claim older than this belongs to a process that died. */
  leaseMs: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;

/** Without options: no quiet hours, no limits, 5 attempts. */
export const DEFAULT_DELIVERY: DeliveryOptions = {
  timeZone: 'Asia/Shanghai',
  quietHours: null,
  holdUrgent: false,
  maxAttempts: 5,
  retryBaseSeconds: 30,
  limits: null,
  processId: `pid-${randomUUID().slice(0, 8)}`,
  leaseMs: DEFAULT_LEASE_MS,
};

export function deliveryOptionsFrom(c: Config, processId: string = `pid-${randomUUID().slice(0, 8)}`): DeliveryOptions {
  return {
    timeZone: c.TIMEZONE,
    quietHours: c.QUIET_HOURS,
    holdUrgent: c.QUIET_HOURS_HOLD_URGENT,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    retryBaseSeconds: c.OUTBOX_RETRY_BASE_SECONDS,
    limits: {
      telegram: { perSecond: c.TELEGRAM_MAX_PER_SECOND, perChatPerSecond: c.TELEGRAM_MAX_PER_CHAT_PER_SECOND, perGroupPerMinute: c.TELEGRAM_MAX_PER_GROUP_PER_MINUTE },
      slack: { perChannelPerSecond: c.SLACK_MAX_PER_CHANNEL_PER_SECOND },
      wechat: { perSecond: c.WECHAT_MAX_PER_SECOND, perDay: c.WECHAT_MAX_PER_DAY },
    },
    processId,
    leaseMs: DEFAULT_LEASE_MS,
  };
}

export interface DeadLetter {
  id: number;
  chatRef: string;
  kind: string;
  attempts: number;
  error: string;
  /** County admins told (0 for a dead delivery report: never reported, no loop). */
  reportedTo: number;
  /** Why the report could not be written, when it could not (the message is dead all the same). */
  reportError?: string;
}

export interface DrainResult {
  sent: number;
  /** Failed this round, retried after the backoff. */
  failed: number;
  dead: number;
  deadLetters: DeadLetter[];
  /** Left for a later round by a limit, a 429 pause or a daily cap (quiet hours are not fetched at all). */
  held: number;
  /** 429s this round: the platform and the seconds it asked for. */
  rateLimited: { platform: string; seconds: number }[];
  /** Platforms whose daily cap is reached. */
  capped: string[];
}

const PAGE = 200;

export async function drainOutbox(db: Db, clock: Clock, adapters: ReadonlyMap<string, ChatAdapter>, options: Partial<DeliveryOptions> = {}): Promise<DrainResult> {
  const o: DeliveryOptions = { ...DEFAULT_DELIVERY, ...options };
  const r: DrainResult = { sent: 0, failed: 0, dead: 0, deadLetters: [], held: 0, rateLimited: [], capped: [] };
  const start = clock.now();
  const platforms = [...adapters.keys()];
  const quiet = o.quietHours !== null && inWindow(localParts(start, o.timeZone).minutes, o.quietHours) ? { holdUrgent: o.holdUrgent } : null;
  /** Platforms not to call again this round: paused by a 429 (until then) or at their daily cap. */
  const paused = await rateLimitPauses(db, platforms, start);
  const capped = new Set<string>();
  /** Chats with an earlier message left for later: their later messages wait behind it (per-chat order). */
  const waiting = new Set<string>();
  const sentToday = new Map<string, number>();
  let limiter: RateLimiter | undefined;

  const isOpen = (platform: string, at: Date) => !capped.has(platform) && !((paused.get(platform)?.getTime() ?? 0) > at.getTime());

  let afterId = 0;
  for (;;) {
    const open = platforms.filter((p) => isOpen(p, clock.now()));
    const page = await deliverable(db, { platforms: open, now: clock.now(), leaseMs: o.leaseMs, quiet, afterId, limit: PAGE });
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;

    for (const m of page) {
      const now = clock.now();
      let chat: ChatRef | undefined;
      try {
        chat = parseChatRef(m.chatRef);
      } catch {
        chat = undefined; // a malformed ref fails like a refused send: backoff, dead, reported
      }
      const platform = chat?.platform ?? m.chatRef.slice(0, m.chatRef.indexOf(':'));
      const adapter = adapters.get(platform);
      if (!adapter) continue;
      if (waiting.has(m.chatRef) || !isOpen(platform, now)) {
        r.held++;
        continue;
      }
      if (o.limits && chat) {
        if (!limiter) limiter = await limiterFromClaims(db, o.limits, platforms, now);
        if (limiter.waitMs(chat, now.getTime()) > 0) {
          waiting.add(m.chatRef);
          r.held++;
          continue;
        }
        const cap = limiter.dailyCap(platform);
        if (cap !== undefined) {
          if (!sentToday.has(platform)) sentToday.set(platform, await sentSince(db, platform, localMidnight(now, o.timeZone)));
          if (sentToday.get(platform)! >= cap) {
            capped.add(platform);
            r.held++;
            continue;
          }
        }
      }
      if (!(await claim(db, m, o.processId, now, o.leaseMs))) {
        // another process has it (or it changed since it was read): leave it, and keep this chat's order
        waiting.add(m.chatRef);
        continue;
      }
      if (chat) limiter?.record(chat, now.getTime());

      let failure: unknown;
      try {
        if (!chat) throw new Error(`not a chat ref: ${m.chatRef}`);
        await adapter.send({
          id: m.id,
          chat,
          text: m.text,
          personId: m.personId,
          ...(m.buttons ? { buttons: JSON.parse(m.buttons) as Button[] } : {}),
          ...(m.attachment ? { attachment: JSON.parse(m.attachment) as Attachment } : {}),
        });
      } catch (e) {
        failure = e ?? new Error('send failed');
      }

      if (failure === undefined) {
        // If this write fails the message stays "sending" and goes again after the lease: at least once.
        await markSent(db, m.id, clock.now());
        if (sentToday.has(platform)) sentToday.set(platform, sentToday.get(platform)! + 1);
        r.sent++;
        continue;
      }

      const after = clock.now();
      if (failure instanceof RateLimitedError) {
        const seconds = Math.max(0, failure.retryAfterSeconds);
        const until = new Date(after.getTime() + seconds * 1000);
        await markRateLimited(db, m.id, seconds, until);
        paused.set(platform, until);
        r.rateLimited.push({ platform, seconds });
        continue;
      }

      const error = failure instanceof Error ? failure.message : String(failure);
      const attempts = m.attempts + 1;
      waiting.add(m.chatRef);
      if (attempts < o.maxAttempts) {
        await markFailed(db, m.id, error, false, new Date(after.getTime() + o.retryBaseSeconds * 1000 * 2 ** (attempts - 1)));
        r.failed++;
        continue;
      }
      const dead: DeadLetter = { id: m.id, chatRef: m.chatRef, kind: m.kind, attempts, error, reportedTo: 0 };
      try {
        dead.reportedTo = await db.$transaction(async (tx) => {
          await markFailed(tx, m.id, error, true);
          return reportDead(tx, after, m, attempts, error);
        });
      } catch (e) {
        // The report could not be written (e.g. no county admin can be reached): the message is dead all the same.
        await markFailed(db, m.id, error, true);
        dead.reportError = e instanceof Error ? e.message : String(e);
      }
      r.dead++;
      r.deadLetters.push(dead);
    }
    if (page.length < PAGE) break;
  }
  r.capped = [...capped];
  return r;
}

/** Every claim in the longest window is one platform call: the windows as they stand, whoever made the calls. */
async function limiterFromClaims(db: Db, limits: PlatformLimits, platforms: readonly string[], now: Date): Promise<RateLimiter> {
  const limiter = new RateLimiter(limits);
  const limited = platforms.filter((p) => limiter.hasLimits(p));
  for (const c of await claimsSince(db, limited, new Date(now.getTime() - LONGEST_WINDOW_MS))) {
    try {
      limiter.record(parseChatRef(c.chatRef), c.claimedAt.getTime());
    } catch {
      // a malformed ref was never sent anywhere
    }
  }
  return limiter;
}

function localMidnight(at: Date, timeZone: string): Date {
  return instantAt(localParts(at, timeZone).date, 0, timeZone);
}
