/**
 * Class groups hold parents (家长群): nothing said there names a student or a guardian. A refusal in a group goes to
 * the sender by direct message, the group gets a neutral line; and the first time someone names a student in a
 * group, the group is told once that such reports belong in a direct message or a teachers-only group.
 */
import type { ChatRef } from './chat-port.js';
import { sendToChat, sendToPerson } from '../services/messenger.js';
import { firstNotice, namesAStudent } from '../store/group-notice.repository.js';
import type { PersonRow } from '../store/org.repository.js';
import type { Tx } from '../store/prisma.js';
import { tokens } from './parse-args.js';

export interface Seen {
  /** A student was named (not a 学籍号 tail) in a group chat: the group is told once that this is better done by DM. */
  studentNamedInGroup: boolean;
}

export const PRIVACY_HINT =
  '温馨提示：本群有家长，学生的姓名和缺勤情况请不要在群里发。报缺勤请私信我（例如：缺勤 张三 病假），或在只有老师的工作群里发。' +
  '涉及学生个人的回复我都私信发给老师，不在群里说。（本提示每个群只发一次）';

/** The group's neutral line when the detail went to the sender by direct message: it names nobody. */
export const DETAIL_SENT_PRIVATELY = '这条消息没有执行，详情已私信发给您。';

/** Notes whether a command sent to a group names a student (whatever the command, and even if it is then refused). */
export async function noteNamedStudents(tx: Tx, chat: ChatRef, args: string, seen: Seen): Promise<void> {
  if (chat.kind !== 'group' || seen.studentNamedInGroup) return;
  // `张三（病假）` names 张三; a bare 学籍号 tail names no one to the people reading the group.
  const words = tokens(args)
    .map((t) => t.replace(/[（(].*$/, ''))
    .filter((t) => t && !/^[A-Za-z]?\d+$/.test(t));
  seen.studentNamedInGroup = await namesAStudent(tx, words);
}

/** A refusal's text: in a direct chat, where it came from; from a group, to the sender by DM and a neutral line in the group. */
export async function sendRefusal(tx: Tx, now: Date, chat: ChatRef, chatRef: string, person: PersonRow | undefined, seen: Seen, text: string): Promise<void> {
  if (chat.kind !== 'group' || !person) {
    await sendToChat(tx, now, chatRef, text);
    return;
  }
  await sendToPerson(tx, now, person.id, `关于您刚才在群里发的消息：\n${text}`);
  await sendToChat(tx, now, chatRef, await withHintOnce(tx, now, chatRef, seen, DETAIL_SENT_PRIVATELY));
}

/** A group's text with the privacy hint appended, the first time a student was named in that group. */
export async function withHintOnce(tx: Tx, now: Date, chatRef: string, seen: Seen, text: string): Promise<string> {
  if (!seen.studentNamedInGroup || !(await firstNotice(tx, chatRef, 'privacy_hint', now))) return text;
  return `${text}\n\n${PRIVACY_HINT}`;
}

/** The hint on its own, when a student was named but nothing else was said in the group (once per group). */
export async function adviseOnce(tx: Tx, now: Date, chatRef: string, seen: Seen): Promise<void> {
  const hint = await withHintOnce(tx, now, chatRef, seen, '');
  if (hint) await sendToChat(tx, now, chatRef, hint.trim());
}
