/**
 * Drains the outbox: each deliverable message to the adapter of its platform, within the platform's limits and
 * outside quiet hours. A message is claimed before it is sent, so two processes never send it twice. A 429 is not
 * a failure: the platform pauses for its retry_after. Other failures back off (base·2^(attempt−1)) and after the
 * last attempt the message is dead and the county admin is told. A crash between the platform call and marking
 * it sent means that message goes again after the claim's lease: at least once, never silently lost.
 */
import { randomUUID } from 'node:crypto';
import { parseChatRef, RateLimitedError, type Attachment, type Button, type ChatAdapter } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Db } from '../store/prisma.js';
import { inWindow, instantAt, localParts } from '../domain/zoned-time.js';
import { claim, deliverable, markFailed, markRateLimited, markSent, sentSince } from '../store/outbox.repository.js';
import { RateLimiter } from './rate-limits.js';
import { reportDead } from './dead-letter.js';

export interface DeliveryOptions {
  timeZone: string;
  quietHours: { start: number; end: number } | null;
  holdUrgent: boolean;
  maxAttempts: number;
  retryBaseSeconds: number;
  /** Keeps state across rounds: create once per process. */
  limiter?: RateLimiter;
  processId: string;
  leaseMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { timeZone: 'Asia/Shanghai', quietHours: null, holdUrgent: false, maxAttempts: 5, retryBaseSeconds: 30, processId: 'console', leaseMs: 5 * 60_000 };

export function deliveryOptionsFrom(c: Config, processId: string = randomUUID()): DeliveryOptions {
  return {
    timeZone: c.TIMEZONE,
    quietHours: c.QUIET_HOURS,
    holdUrgent: c.QUIET_HOURS_HOLD_URGENT,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    retryBaseSeconds: c.OUTBOX_RETRY_BASE_SECONDS,
    limiter: new RateLimiter({
      telegram: { perSecond: c.TELEGRAM_MAX_PER_SECOND, perChatPerSecond: c.TELEGRAM_MAX_PER_CHAT_PER_SECOND, perGroupPerMinute: c.TELEGRAM_MAX_PER_GROUP_PER_MINUTE },
      slack: { perChannelPerSecond: c.SLACK_MAX_PER_CHANNEL_PER_SECOND },
      wechat: { perSecond: c.WECHAT_MAX_PER_SECOND, perDay: c.WECHAT_MAX_PER_DAY },
    }),
    processId,
    leaseMs: 5 * 60_000,
  };
}

export interface DrainResult {
  sent: number;
  failed: number;
  dead: number;
  /** Waiting for a limit, a 429 pause, quiet hours or a daily cap. */
  held: number;
  /** Platforms paused by a 429 in this round, with the seconds asked for. */
  rateLimited: { platform: string; seconds: number }[];
}

export async function drainOutbox(db: Db, clock: Clock, adapters: ReadonlyMap<string, ChatAdapter>, options: DeliveryOptions = DEFAULT_DELIVERY): Promise<DrainResult> {
  const r: DrainResult = { sent: 0, failed: 0, dead: 0, held: 0, rateLimited: [] };
  const now = clock.now();
  const local = localParts(now, options.timeZone);
  const quiet = options.quietHours !== null && inWindow(local.minutes, options.quietHours);
  const dayStart = instantAt(local.date, 0, options.timeZone);
  const sentToday = new Map<string, number>();
  const waiting = new Set<string>(); // chats with an earlier message held back: later ones keep their order

  for (const m of await deliverable(db, [...adapters.keys()], now, options.leaseMs)) {
    const chat = parseChatRef(m.chatRef);
    const adapter = adapters.get(chat.platform);
    if (!adapter) continue;
    // Quiet hours hold nudges and reminders; replies and (unless configured) urgent alerts go.
    if (quiet && m.kind !== 'reply' && !(m.urgent && !options.holdUrgent)) {
      r.held++;
      continue;
    }
    if (waiting.has(m.chatRef) || (options.limiter && options.limiter.waitMs(chat, now.getTime()) > 0)) {
      waiting.add(m.chatRef);
      r.held++;
      continue;
    }
    const cap = options.limiter?.dailyCap(chat.platform);
    if (cap !== undefined) {
      if (!sentToday.has(chat.platform)) sentToday.set(chat.platform, await sentSince(db, chat.platform, dayStart));
      if (sentToday.get(chat.platform)! >= cap) {
        r.held++;
        continue;
      }
    }
    if (!(await claim(db, m.id, options.processId, now, options.leaseMs))) continue;
    options.limiter?.record(chat, now.getTime());
    try {
      await adapter.send({
        id: m.id,
        chat,
        text: m.text,
        personId: m.personId,
        ...(m.buttons ? { buttons: JSON.parse(m.buttons) as Button[] } : {}),
        ...(m.attachment ? { attachment: JSON.parse(m.attachment) as Attachment } : {}),
      });
      await markSent(db, m.id, clock.now());
      if (cap !== undefined) sentToday.set(chat.platform, sentToday.get(chat.platform)! + 1);
      r.sent++;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (e instanceof RateLimitedError) {
        const until = new Date(now.getTime() + e.retryAfterSeconds * 1000);
        await markRateLimited(db, m.id, error, until);
        options.limiter?.pause(chat.platform, until.getTime());
        r.rateLimited.push({ platform: chat.platform, seconds: e.retryAfterSeconds });
        waiting.add(m.chatRef);
        continue;
      }
      const attempt = m.attempts + 1;
      if (attempt >= options.maxAttempts) {
        await db.$transaction(async (tx) => {
          await markFailed(tx, m.id, error, true);
          await reportDead(tx, clock.now(), m, attempt, error);
        });
        r.dead++;
      } else {
        await markFailed(db, m.id, error, false, new Date(now.getTime() + options.retryBaseSeconds * 1000 * 2 ** (attempt - 1)));
        r.failed++;
      }
      waiting.add(m.chatRef);
    }
  }
  return r;
}
