/** A message that could not be delivered after every attempt is reported to the county admin, never dropped silently. */
import type { Tx } from '../store/prisma.js';
import { peopleWithRole, personById } from '../store/org.repository.js';
import { groupClass } from '../store/chat.repository.js';
import { sendToPerson } from '../services/messenger.js';

const PLATFORM_NAMES: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', wechat: '微信', console: '控制台' };

interface DeadMessage {
  id: number;
  chatRef: string;
  personId: number | null;
  kind: string;
  text: string;
}

/** Writes the report to every active county person (kind delivery_report, not urgent); returns how many. */
export async function reportDead(tx: Tx, now: Date, m: DeadMessage, attempts: number, error: string): Promise<number> {
  // A report that itself cannot be delivered is not reported again (no loop); it stays dead in the outbox.
  if (m.kind === 'delivery_report') return 0;
  const person = m.personId != null ? await personById(tx, m.personId) : null;
  const classId = m.chatRef.includes(':group:') ? await groupClass(tx, m.chatRef) : undefined;
  const cls = classId ? await tx.schoolClass.findUnique({ where: { id: classId }, include: { school: true } }) : null;
  const platform = PLATFORM_NAMES[m.chatRef.slice(0, m.chatRef.indexOf(':'))] ?? m.chatRef.slice(0, m.chatRef.indexOf(':'));
  const to = person
    ? `${person.name}（${person.staffId}）的${platform}私聊`
    : cls
      ? `${cls.school.name} ${cls.name} 班级群（${m.chatRef}）`
      : m.chatRef;
  const firstLine = [...(m.text.split('\n')[0] ?? '')]; // by code point: an emoji is not cut in half
  const gist = firstLine.length > 40 ? `${firstLine.slice(0, 40).join('')}…` : firstLine.join('');
  const check = m.chatRef.includes(':group:')
    ? '请确认机器人仍在该群内、有发言权限。'
    : person
      ? '请确认此人的账号仍可用、没有屏蔽或删除机器人；必要时重新发邀请码（invite）让其再次绑定。'
      : '请确认该账号仍可用、没有屏蔽或删除机器人。';
  const text = [
    `📮 消息未能送达（#${m.id}）：发往${to}的消息“${gist}”已尝试 ${attempts} 次，均失败。`,
    `最后一次错误：${error.slice(0, 200)}`,
    check,
  ].join('\n');
  const admins = await peopleWithRole(tx, 'county');
  for (const a of admins) await sendToPerson(tx, now, a.id, text, { kind: 'delivery_report' });
  return admins.length;
}
