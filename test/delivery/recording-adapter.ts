/** A test adapter for one platform that records what it was asked to send, and can be told to fail. */
import type { ChatAdapter, Outgoing } from '../../src/core/chat-port.js';

export function recordingAdapter(platform: string, fail?: (m: Outgoing) => Error | undefined): ChatAdapter & { sent: Outgoing[] } {
  const sent: Outgoing[] = [];
  return {
    platform,
    sent,
    async start() {},
    async stop() {},
    async send(m) {
      const e = fail?.(m);
      if (e) throw e;
      sent.push(m);
    },
  };
}
