/** Group privacy: notices a group chat is given once (remembered per group), and whether a message names a student. */
import type { Tx } from './prisma.js';

export type GroupNoticeKind = 'privacy_hint';

/** Records the notice for this group; false when the group was given it before. */
export async function firstNotice(db: Tx, chatRef: string, kind: GroupNoticeKind, at: Date): Promise<boolean> {
  const key = { chatRef_kind: { chatRef, kind } };
  if (await db.groupNotice.findUnique({ where: key })) return false;
  await db.groupNotice.create({ data: { chatRef, kind, at } });
  return true;
}

/** Is any of these words a student's name? (At most 500 words: one plain `in` list.) */
export async function namesAStudent(db: Tx, words: readonly string[]): Promise<boolean> {
  const names = [...new Set(words)].slice(0, 500);
  if (names.length === 0) return false;
  return (await db.student.findFirst({ where: { name: { in: names } }, select: { id: true } })) !== null;
}
