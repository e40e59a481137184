/**
 * Platform sending limits, kept under by the dispatcher (times are the injected clock's, in ms):
 * Telegram about 30 messages/s overall, 1/s per chat, 20/min per group; Slack about 1/s per channel; WeChat (a
 * personal account gets restricted for bulk sending) 1/s overall and a daily cap, counted by the dispatcher from
 * the database so a restart does not reset it. A platform's 429 pauses the whole platform until its retry_after.
 * Limits are per process: two processes on one database each keep to them (run one dispatcher per bot account).
 */
import type { ChatRef } from '../../adapters/types.js';

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

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(private readonly limits: PlatformLimits) {}

  private windows(chat: ChatRef): Window[] {
    const id = `${chat.platform}:${chat.id}`;
    switch (chat.platform) {
      case 'telegram': {
        const l = this.limits.telegram;
        return [
          { key: 'telegram', ms: 1000, max: l.perSecond },
          { key: `${id}:s`, ms: 1000, max: l.perChatPerSecond },
          ...(chat.kind === 'group' ? [{ key: `${id}:m`, ms: 60_000, max: l.perGroupPerMinute }] : []),
        ];
      }
      case 'slack':
        return [{ key: `${id}:s`, ms: 1000, max: this.limits.slack.perChannelPerSecond }];
      case 'wechat':
        return [{ key: 'wechat', ms: 1000, max: this.limits.wechat.perSecond }];
      default:
        return [];
    }
  }

  /** Milliseconds until a message to this chat may go (0: now). */
  waitMs(chat: ChatRef, now: number): number {
    let wait = Math.max(0, (this.pausedUntil.get(chat.platform) ?? 0) - now);
    for (const w of this.windows(chat)) {
      const recent = (this.sent.get(w.key) ?? []).filter((t) => t > now - w.ms);
      this.sent.set(w.key, recent);
      if (recent.length >= w.max) wait = Math.max(wait, recent[recent.length - w.max]! + w.ms - now);
    }
    return wait;
  }

  record(chat: ChatRef, now: number): void {
    for (const w of this.windows(chat)) this.sent.set(w.key, [...(this.sent.get(w.key) ?? []), now]);
  }

  /** The platform answered 429: nothing more to it until then. */
  pause(platform: string, until: number): void {
    this.pausedUntil.set(platform, Math.max(until, this.pausedUntil.get(platform) ?? 0));
  }

  dailyCap(platform: string): number | undefined {
    return platform === 'wechat' ? this.limits.wechat.perDay : undefined;
  }
}
