/** Inbound message ids already handled, so a redelivered message is handled once. */
import type { Tx } from './prisma.js';

/** Records the message; false when it was seen before. */
export async function firstDelivery(db: Tx, platform: string, messageId: string, at: Date): Promise<boolean> {
  const key = { platform_messageId: { platform, messageId } };
  if (await db.inboundMessage.findUnique({ where: key })) return false;
  await db.inboundMessage.create({ data: { platform, messageId, receivedAt: at } });
  return true;
}
