/**
 * Platform sending limits, kept under by the dispatcher. Pure: times are the injected clock's, in ms, passed in.
 * Telegram about 30 messages/s overall, 1/s per chat, 20/min per group (group chat ids are negative); Slack about
 * 1/s per channel; WeChat (a personal account gets restricted for bulk sending) 1/s overall and a daily cap. The
 * console has none.
 *
 * A limiter is a sliding window over the platform calls it is told about (`record`). The dispatcher builds one per
 * pass from the claims in the database (every claim is one platform call) plus its own calls in that pass, to skip
 * messages that cannot go yet; the database has the last word: the claim itself checks the same windows
 * (`claimWindows`) against every process's claims, and the daily cap (claims since local midnight).
 */
import type { ChatRef } from '../core/chat-port.js';
import type { ClaimWindow } from '../store/outbox-claim.repository.js';
import { wecomWindows } from '../../adapters/wecom/config.js';
import { limits as dingtalkLimits } from '../../adapters/dingtalk/config.js';

/** Platforms whose per-chat windows reach over a minute for every chat (WeCom members and groups, DingTalk groups). */
const MINUTE_WINDOWS = new Set(['wecom', 'dingtalk']);

export interface PlatformLimits {
  telegram: { perSecond: number; perChatPerSecond: number; perGroupPerMinute: number };
  slack: { perChannelPerSecond: number };
  wechat: { perSecond: number; perDay: number };
}

interface Window {
  key: string;
  ms: number;
  max: number;
}

/** Telegram: a chat with a negative id is a group (basic groups -N, supergroups and channels -100N). */
export function isTelegramGroup(chat: ChatRef): boolean {
  return chat.kind === 'group' || chat.id.startsWith('-');
}

export class RateLimiter {
  /** Call instants per window key, ascending. */
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly limits: PlatformLimits) {}

  /**
   * The claims a limiter needs to know about on a platform: everything in the last second (plus `marginMs`), and
   * for the per-minute group window only group chats' (a ref prefix) — not a minute of every chat's claims.
   */
  history(platform: string, now: number, marginMs: number): { since: Date; refPrefixes?: string[] }[] {
    if (!this.hasLimits(platform)) return [];
    const second = { since: new Date(now - 1000 - marginMs) };
    if (platform === 'telegram') return [second, { since: new Date(now - 60_000 - marginMs), refPrefixes: ['telegram:group:', 'telegram:dm:-'] }];
    return MINUTE_WINDOWS.has(platform) ? [{ since: new Date(now - 60_000 - marginMs) }] : [second];
  }

  /** Whether this platform has any limit (a platform without one needs no history). */
  hasLimits(platform: string): boolean {
    return platform === 'telegram' || platform === 'slack' || platform === 'wechat' || MINUTE_WINDOWS.has(platform);
  }

  private windows(chat: ChatRef): Window[] {
    const id = `${chat.platform}:${chat.id}`;
    switch (chat.platform) {
      case 'telegram': {
        const l = this.limits.telegram;
        return [
          { key: 'telegram', ms: 1000, max: l.perSecond },
          { key: `${id}/s`, ms: 1000, max: l.perChatPerSecond },
          ...(isTelegramGroup(chat) ? [{ key: `${id}/min`, ms: 60_000, max: l.perGroupPerMinute }] : []),
        ];
      }
      case 'slack':
        return [{ key: `${id}/s`, ms: 1000, max: this.limits.slack.perChannelPerSecond }];
      case 'wechat':
        return [{ key: 'wechat', ms: 1000, max: this.limits.wechat.perSecond }];
      // WeCom and DingTalk describe their documented limits in their own folders.
      case 'wecom':
        return wecomWindows(chat);
      case 'dingtalk':
        return [
          { key: 'dingtalk', ms: 1000, max: dingtalkLimits.perApiPerSecond },
          ...(chat.kind === 'group' ? [{ key: `${id}/min`, ms: 60_000, max: dingtalkLimits.perGroupPerMinute }] : []),
        ];
      default:
        return [];
    }
  }

  /** Milliseconds until a message to this chat may go (0: now), with every window widened by `marginMs`. */
  waitMs(chat: ChatRef, now: number, marginMs = 0): number {
    let wait = 0;
    for (const w of this.windows(chat)) {
      const ms = w.ms + marginMs;
      const recent = (this.calls.get(w.key) ?? []).filter((t) => t > now - ms);
      this.calls.set(w.key, recent);
      // the oldest call that must leave the window before one more fits
      if (recent.length >= w.max) wait = Math.max(wait, recent[recent.length - w.max]! + ms - now);
    }
    return wait;
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
    const windows: ClaimWindow[] = this.windows(chat).map((w) => ({ scope: w.key.startsWith(own) ? 'chat' : 'platform', since: new Date(now - w.ms - marginMs), max: w.max }));
    const cap = this.dailyCap(chat.platform);
    if (cap !== undefined) windows.push({ scope: 'platform', since: midnight, max: cap });
    return windows;
  }

  /** Messages a day on this platform, when it has a daily cap. */
  dailyCap(platform: string): number | undefined {
    return platform === 'wechat' ? this.limits.wechat.perDay : undefined;
  }
}
