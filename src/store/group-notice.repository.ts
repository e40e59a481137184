/** Notices a group chat is given once (the privacy hint): remembered per group, so they are never repeated. */
import type { Tx } from './prisma.js';

export type GroupNoticeKind = 'privacy_hint';

/** Records the notice for this group; false when the group was given it before. */
export async function firstNotice(db: Tx, chatRef: string, kind: GroupNoticeKind, at: Date): Promise<boolean> {
  const key = { chatRef_kind: { chatRef, kind } };
  if (await db.groupNotice.findUnique({ where: key })) return false;
  await db.groupNotice.create({ data: { chatRef, kind, at } });
  return true;
}
