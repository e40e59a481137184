/**
 * Writes outbound messages to the outbox: to a chat, or to a person's direct chat. In a handling's shared write
 * transaction they are written with the others' at its end (deferred-rows.ts); `sendToPersonNow` when the outbox id is
 * needed at once.
 */
import type { Tx } from '../store/prisma.js';
import { enqueue, enqueueLater } from '../store/outbox.repository.js';
import { dmRefFor } from '../store/chat.repository.js';
import type { Attachment, Button } from '../core/chat-port.js';

export interface Extras {
  buttons?: Button[];
  attachment?: Attachment;
  kind?: string;
  dutyKey?: string;
  urgent?: boolean;
  notBefore?: Date | null;
}

export async function sendToChat(db: Tx, at: Date, chatRef: string, text: string, extras: Extras = {}): Promise<void> {
  await enqueueLater(db, at, { chatRef, text, ...extras });
}

export async function sendToPerson(db: Tx, at: Date, personId: number, text: string, extras: Extras = {}): Promise<void> {
  await enqueueLater(db, at, { chatRef: await directChatOf(db, personId), personId, text, ...extras });
}

/** sendToPerson, written at once: its outbox id. */
export async function sendToPersonNow(db: Tx, at: Date, personId: number, text: string, extras: Extras = {}): Promise<number> {
  return enqueue(db, at, { chatRef: await directChatOf(db, personId), personId, text, ...extras });
}

async function directChatOf(db: Tx, personId: number): Promise<string> {
  const chatRef = await dmRefFor(db, personId);
  if (!chatRef.includes(':dm:')) throw new Error(`refusing to send a direct message into a non-direct chat ${chatRef}`);
  return chatRef;
}
