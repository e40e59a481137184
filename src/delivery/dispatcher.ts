/** Drains the outbox: each pending message to the adapter of its platform; failures are kept with their reason. */
import type { Attachment, ChatAdapter, Button } from '../../adapters/types.js';
import { parseChatRef } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { markFailed, markSent, pending } from '../store/outbox.repository.js';

export const MAX_ATTEMPTS = 5;

export interface DrainResult {
  sent: number;
  failed: number;
}

export async function drainOutbox(db: Db, clock: Clock, adapters: ReadonlyMap<string, ChatAdapter>): Promise<DrainResult> {
  const r: DrainResult = { sent: 0, failed: 0 };
  for (const m of await pending(db, [...adapters.keys()])) {
    const chat = parseChatRef(m.chatRef);
    const adapter = adapters.get(chat.platform);
    if (!adapter) continue;
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
      r.sent++;
    } catch (e) {
      await markFailed(db, m.id, e instanceof Error ? e.message : String(e), m.attempts + 1 >= MAX_ATTEMPTS);
      r.failed++;
    }
  }
  return r;
}
