/**
 * What a platform's pump knows of recent platform calls, kept for as long as the pump runs. Its own claims are
 * recorded in `limiter` as it makes them; other processes' claims are read at each pass, only those it has not read
 * yet (from a little before the last read: a claim stamped just before it may have committed just after). A pass used
 * to read every claim of the longest window again (a minute of group claims, each pass).
 *
 * Only a filter: the claim itself checks every window against every process's claims in the database, so a claim
 * this history has not seen yet makes a claim try and fail, never go out over a limit.
 */
import { chatRefOrUndefined } from '../core/chat-port.js';
import type { Tx } from '../store/prisma.js';
import { claimsSince } from '../store/outbox.repository.js';
import { RateLimiter, type PlatformLimits } from './rate-limits.js';

/** Other processes' claims are read again from this long before the last read. */
const LAG_MS = 250;
/** Calls that left every window are forgotten at most this often. */
const FORGET_EVERY_MS = 1000;

export class ClaimHistory {
  /** Every process's recent calls on the platform; the pump records its own claims in it as it makes them. */
  readonly limiter: RateLimiter;
  /** Other processes' claims stamped before this instant (less LAG_MS) have been read; -Infinity: nothing read yet. */
  private readThrough = Number.NEGATIVE_INFINITY;
  /** Claims read from the database, by process, chat and instant: the overlap of two reads is recorded once. */
  private readonly read = new Map<string, number>();
  private forgotAt = Number.NEGATIVE_INFINITY;

  constructor(
    limits: PlatformLimits,
    private readonly platform: string,
    private readonly processId: string,
  ) {
    this.limiter = new RateLimiter(limits);
  }

  /** Whether the platform has a limit to keep (without one there is nothing to read or record). */
  get limited(): boolean {
    return this.limiter.hasLimits(this.platform);
  }

  /**
   * Reads the claims not yet known, for every window of the platform, widened by `marginMs`, in one statement. The
   * first read takes every claim in the windows, this process's own too (a claim of the same id made before this pump
   * started).
   */
  async catchUp(db: Tx, now: number, marginMs: number): Promise<void> {
    if (now < this.readThrough) this.forgetAll(); // the clock went back: what is known may lie in its future
    const first = this.readThrough === Number.NEGATIVE_INFINITY;
    const oldest = this.limiter.historySince(this.platform, now, marginMs);
    if (!oldest) return;
    // One read for every window: from the oldest instant any of them needs. A claim outside a chat's own windows is
    // recorded too and simply never counts (each window only counts calls inside it).
    const horizon = oldest.getTime();
    const since = new Date(Math.max(horizon, this.readThrough - LAG_MS));
    for (const c of await claimsSince(db, [this.platform], since, first ? undefined : this.processId)) {
      const at = c.claimedAt.getTime();
      const key = `${c.claimedBy ?? ''}|${c.chatRef}@${at}`;
      if (this.read.has(key)) continue;
      this.read.set(key, at);
      const chat = chatRefOrUndefined(c.chatRef); // a malformed ref was never sent anywhere
      if (chat) this.limiter.record(chat, at);
    }
    this.readThrough = now;
    if (now - this.forgotAt >= FORGET_EVERY_MS) {
      this.forgotAt = now;
      this.limiter.forget(horizon);
      // no later read reaches back past the horizon
      for (const [key, at] of this.read) if (at <= horizon) this.read.delete(key);
    }
  }

  private forgetAll(): void {
    this.limiter.forget(Number.POSITIVE_INFINITY);
    this.read.clear();
    this.readThrough = Number.NEGATIVE_INFINITY;
    this.forgotAt = Number.NEGATIVE_INFINITY;
  }

  /** Claims read from the database and still remembered (tests). */
  get remembered(): number {
    return this.read.size;
  }
}
