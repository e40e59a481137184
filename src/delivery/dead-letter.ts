/** A message that could not be delivered after every attempt is reported to the county admin, never dropped silently. */
import type { Tx } from '../store/prisma.js';
import { peopleWithRole, personById } from '../store/org.repository.js';
import { groupClass } from '../store/chat.repository.js';
import { sendToPerson } from '../services/messenger.js';

interface DeadMessage {
  id: number;
  chatRef: string;
  personId: number | null;
  kind: string;
  text: string;
}

export async function reportDead(tx: Tx, now: Date, m: DeadMessage, attempts: number, error: string): Promise<number> {
  // A report that itself cannot be delivered is not reported again (no loop); it stays dead in the outbox.
  if (m.kind === 'delivery_report') return 0;
  const person = m.personId != null ? await personById(tx, m.personId) : null;
  const classId = m.chatRef.includes(':group:') ? await groupClass(tx, m.chatRef) : undefined;
  const cls = classId ? await tx.schoolClass.findUnique({ where: { id: classId }, include: { school: true } }) : null;
  const to = person ? `${person.name}（${person.staffId}）的私聊` : cls ? `${cls.school.name} ${cls.name} 班级群` : m.chatRef;
  const firstLine = m.text.split('\n')[0]!;
  const gist = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
  const text = [
    `📮 消息未能送达（#${m.id}）：发往${to}的消息“${gist}”已尝试 ${attempts} 次，均失败。`,
    `最后一次错误：${error.slice(0, 200)}`,
    person ? '请确认此人的账号仍可用、没有屏蔽机器人；必要时重新发邀请码（invite）让其绑定。' : '请确认机器人仍在该群内、有发言权限。',
  ].join('\n');
  const admins = await peopleWithRole(tx, 'county');
  for (const a of admins) await sendToPerson(tx, now, a.id, text, { kind: 'delivery_report' });
  return admins.length;
}
