/** How delivery behaves: from the configuration, or defaults for tests and the console. */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { PlatformLimits } from './rate-limits.js';
import { REGISTRY } from '../../adapters/registry.js';

export interface DeliveryOptions {
  /** The county's timezone: quiet hours, the daily cap's midnight, the times in dead-letter digests. */
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
  /** One send (all its platform calls) may take this long, then it counts as failed; well under the lease. */
  sendTimeoutMs: number;
  /** Rate windows are widened by this much: what the platform receives jitters after the claim. */
  rateMarginMs: number;
  /** Messages in flight at once per platform (each chat one at a time); platforms not named: 1. */
  concurrency: Readonly<Record<string, number>>;
  /** At most one dead-letter digest to the county admins per this long. */
  digestEveryMs: number;
  /** Delivered, cancelled and dead messages older than this are pruned by the dispatcher loop. */
  retentionMs: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;

/** Each platform's own (its descriptor's): Telegram allows 30/s, so a few calls in flight keep it busy; WeChat (1/s, a personal account) goes one by one. */
export const DEFAULT_CONCURRENCY: Readonly<Record<string, number>> = Object.fromEntries(REGISTRY.map((p) => [p.name, p.concurrency]));

/** Every platform's delivery limits under this configuration, as its descriptor states them. */
export function platformLimits(c: Config): PlatformLimits {
  return Object.fromEntries(REGISTRY.map((p) => [p.name, p.limits(c)]));
}

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
  sendTimeoutMs: 30_000,
  rateMarginMs: 500,
  concurrency: DEFAULT_CONCURRENCY,
  digestEveryMs: 15 * 60_000,
  retentionMs: 30 * 86_400_000,
};

export function deliveryOptionsFrom(c: Config, processId: string = `pid-${randomUUID().slice(0, 8)}`): DeliveryOptions {
  return {
    timeZone: c.TIMEZONE,
    quietHours: c.QUIET_HOURS,
    holdUrgent: c.QUIET_HOURS_HOLD_URGENT,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    retryBaseSeconds: c.OUTBOX_RETRY_BASE_SECONDS,
    limits: platformLimits(c),
    processId,
    leaseMs: c.OUTBOX_LEASE_SECONDS * 1000,
    sendTimeoutMs: c.OUTBOX_SEND_TIMEOUT_SECONDS * 1000,
    rateMarginMs: c.OUTBOX_RATE_MARGIN_MS,
    concurrency: DEFAULT_CONCURRENCY,
    digestEveryMs: c.OUTBOX_DIGEST_MINUTES * 60_000,
    retentionMs: c.OUTBOX_RETENTION_DAYS * 86_400_000,
  };
}
