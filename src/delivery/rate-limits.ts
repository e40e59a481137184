/**
 * Platform sending limits, kept under by the dispatcher. Pure: times are the injected clock's, in ms, passed in.
 * Telegram about 30 messages/s overall, 1/s per chat, 20/min per group (group chat ids are negative); Slack about
 * 1/s per channel; WeChat (a personal account gets restricted for bulk sending) 1/s overall and a daily cap. The
 * console has none.
 *
 * A limiter is a sliding window over the platform calls it is told about (`record`). The dispatcher builds one per
 * round from the claims in the database (every claim is one platform call) plus its own calls in that round, so a
 * restart does not reset the windows and two processes on one database see each other's sends. The daily cap is
 * not a window: the dispatcher counts it from the database (messages sent since local midnight).
 */
import type { ChatRef } from '../../adapters/types.js';

export interface PlatformLimits {
  telegram: { perSecond: number; perChatPerSecond: number; perGroupPerMinute: number };
  slack: { perChannelPerSecond: number };
  wechat: { perSecond: number; perDay: number };
}

/** The longest window any limit looks back over: calls older than this never hold anything. */
export const LONGEST_WINDOW_MS = 60_000;

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

  /** Whether this platform has any limit (a platform without one needs no history). */
  hasLimits(platform: string): boolean {
    return platform === 'telegram' || platform === 'slack' || platform === 'wechat';
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
      default:
        return [];
    }
  }

  /** Milliseconds until a message to this chat may go (0: now). */
  waitMs(chat: ChatRef, now: number): number {
    let wait = 0;
    for (const w of this.windows(chat)) {
      const recent = (this.calls.get(w.key) ?? []).filter((t) => t > now - w.ms);
      this.calls.set(w.key, recent);
      // the oldest call that must leave the window before one more fits
      if (recent.length >= w.max) wait = Math.max(wait, recent[recent.length - w.max]! + w.ms - now);
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

  /** Messages a day on this platform, when it has a daily cap. */
  dailyCap(platform: string): number | undefined {
    return platform === 'wechat' ? this.limits.wechat.perDay : undefined;
  }
}
