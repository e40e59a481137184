/**
 * Platform sending limits, kept under by the dispatcher. Each platform states its own (the `limits` of its descriptor
 * in adapters/<platform>/platform.ts: windows per chat or per platform, and a daily cap); this file only keeps them.
 * Pure: times are the injected clock's, in ms, passed in.
 *
 * A limiter is a sliding window over the platform calls it is told about (`record`). Each platform's pump keeps one
 * for as long as it runs: its own claims are recorded as it makes them, other processes' claims as each pass reads
 * the ones it has not seen yet (every claim is one platform call); it skips messages that cannot go yet. The database
 * has the last word: the claim itself checks the same windows (`claimWindows`) against every process's claims, and the
 * daily cap (claims since local midnight), so a limiter that has not yet seen another process's latest claim only
 * makes a claim try and fail.
 */
import type { ChatRef } from '../core/chat-port.js';
import type { DeliveryLimits, RateWindow } from '../core/platform.js';
import type { ClaimWindow } from '../store/outbox-claim.repository.js';

/** Each platform's limits by name; a platform not named has none. */
export type PlatformLimits = Readonly<Record<string, DeliveryLimits>>;

export class RateLimiter {
  /** Call instants per window key, ascending. */
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly limits: PlatformLimits) {}

  /** Since when the claims count that a limiter needs to know about on a platform (its windows widened by `marginMs`). */
  historySince(platform: string, now: number, marginMs: number): Date | undefined {
    const ms = this.limits[platform]?.historyMs ?? 0;
    return ms > 0 ? new Date(now - ms - marginMs) : undefined;
  }

  /** Whether this platform has any limit (a platform without one needs no history). */
  hasLimits(platform: string): boolean {
    const l = this.limits[platform];
    return l !== undefined && (l.historyMs > 0 || l.perDay !== undefined);
  }

  private windows(chat: ChatRef): RateWindow[] {
    return this.limits[chat.platform]?.windows(chat) ?? [];
  }

  /** Milliseconds until a message to this chat may go (0: now), with every window widened by `marginMs`. */
  waitMs(chat: ChatRef, now: number, marginMs = 0): number {
    let wait = 0;
    for (const w of this.windows(chat)) {
      const ms = w.ms + marginMs;
      const recent = this.calls.get(w.key);
      if (!recent) continue;
      dropThrough(recent, now - ms); // a window's own length bounds what is kept
      // the oldest call that must leave the window before one more fits
      if (recent.length >= w.max) wait = Math.max(wait, recent[recent.length - w.max]! + ms - now);
    }
    return wait;
  }

  /** Takes back a call recorded at this instant (a claim that was counted before it was tried, and failed). */
  unrecord(chat: ChatRef, at: number): void {
    for (const w of this.windows(chat)) {
      const list = this.calls.get(w.key);
      const i = list?.lastIndexOf(at) ?? -1;
      if (i >= 0) list!.splice(i, 1);
    }
  }

  /**
   * Forgets every call at or before `before` (older than the longest window): a limiter that lives as long as its
   * pump keeps only what can still count, and no key for a chat that has been quiet since.
   */
  forget(before: number): void {
    for (const [key, list] of this.calls) if (dropThrough(list, before) === 0) this.calls.delete(key);
  }

  /** How many window keys are kept (tests: a long-lived limiter does not grow with every chat it ever saw). */
  get keys(): number {
    return this.calls.size;
  }

  /** A call to this chat at this instant (sent, or refused by the platform: either way it counted there). */
  record(chat: ChatRef, at: number): void {
    for (const w of this.windows(chat)) {
      const list = this.calls.get(w.key) ?? [];
      let i = list.length;
      while (i > 0 && list[i - 1]! > at) i--;
      list.splice(i, 0, at);
      this.calls.set(w.key, list);
    }
  }

  /**
   * The windows a claim to this chat at `now` must leave room in, each widened by `marginMs` (what the platform
   * receives jitters after the claim), plus the daily cap since `midnight`: checked by the database at claim time.
   */
  claimWindows(chat: ChatRef, now: number, marginMs: number, midnight: Date): ClaimWindow[] {
    const own = `${chat.platform}:${chat.id}`;
    const windows: ClaimWindow[] = this.windows(chat).map((w) => ({
      scope: w.key.startsWith(own) ? 'chat' : 'platform',
      since: new Date(now - w.ms - marginMs),
      max: w.max,
    }));
    const cap = this.dailyCap(chat.platform);
    if (cap !== undefined) windows.push({ scope: 'platform', since: midnight, max: cap });
    return windows;
  }

  /** Messages a day on this platform, when it has a daily cap. */
  dailyCap(platform: string): number | undefined {
    return this.limits[platform]?.perDay;
  }
}

/** Drops the calls at or before `t` from an ascending list (they are at its front); how many are left. */
function dropThrough(list: number[], t: number): number {
  let gone = 0;
  while (gone < list.length && list[gone]! <= t) gone++;
  if (gone > 0) list.splice(0, gone);
  return list.length;
}
