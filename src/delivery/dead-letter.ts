/**
 * Messages that could not be delivered after every attempt are reported to the county admins, never dropped
 * silently: one digest per period (not one report per message), sent on another platform the admin is bound on when
 * there is one — the platform that failed is the least likely to carry the report. `npm run cli -- dead-letters`
 * lists them all, whether or not a digest reached anyone.
 */
import type { Db, Tx } from '../store/prisma.js';
import { classById, peopleWithRole, personById } from '../store/org.repository.js';
import { groupClass } from '../store/chat.repository.js';
import { enqueue } from '../store/outbox.repository.js';
import { accountsOf, DELIVERY_REPORT, hasUnreportedDead, lastDigestAt, takeUnreportedDead, type DeadRow } from '../store/outbox-upkeep.repository.js';
import { clockLabel, localParts } from '../domain/zoned-time.js';
import { inTransaction } from '../store/transaction.js';

const PLATFORM_NAMES: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', wechat: '微信', console: '控制台' };
/** Messages listed one by one in a digest; the rest are counted. */
const LISTED = 10;

export const platformOf = (chatRef: string): string => chatRef.slice(0, Math.max(0, chatRef.indexOf(':')));
const platformName = (p: string) => PLATFORM_NAMES[p] ?? p;

/** "11月20日 10:05" in the county's timezone. */
export function localLabel(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${Number(p.date.slice(5, 7))}月${Number(p.date.slice(8, 10))}日 ${clockLabel(p.minutes)}`;
}

/** Where a message was going, as a person reads it. */
export async function describeTarget(db: Tx, m: { chatRef: string; personId: number | null }): Promise<string> {
  const person = m.personId != null ? await personById(db, m.personId) : null;
  if (person) return `${person.name}（${person.staffId}）的${platformName(platformOf(m.chatRef))}私聊`;
  const classId = m.chatRef.includes(':group:') ? await groupClass(db, m.chatRef) : undefined;
  const cls = classId ? await classById(db, classId) : null;
  return cls ? `${cls.school.name} ${cls.name} 班级群（${m.chatRef}）` : m.chatRef;
}

/** The first line, cut to 40 characters by code point (an emoji is not cut in half). */
export function gist(text: string): string {
  const first = [...(text.split('\n')[0] ?? '')];
  return first.length > 40 ? `${first.slice(0, 40).join('')}…` : first.join('');
}

async function digestText(db: Tx, rows: DeadRow[], timeZone: string): Promise<string> {
  const lines = [`📮 投递失败汇总：${rows.length} 条消息多次尝试后仍未送达（最早 ${localLabel(rows[0]!.createdAt, timeZone)} 写入）。`];
  for (const m of rows.slice(0, LISTED)) {
    lines.push(
      `#${m.id} 发往${await describeTarget(db, m)}的消息“${gist(m.text)}”已尝试 ${m.attempts} 次，均失败。最后一次错误：${(m.lastError ?? '').slice(0, 200)}`,
    );
  }
  if (rows.length > LISTED) lines.push(`……另有 ${rows.length - LISTED} 条未列出。`);
  const failing = [...new Set(rows.map((r) => platformOf(r.chatRef)))].map(platformName).join('、');
  const checks = [
    ...(rows.some((r) => r.chatRef.includes(':group:')) ? ['群消息：请确认机器人仍在该群内、有发言权限。'] : []),
    ...(rows.some((r) => r.personId != null)
      ? ['私聊：请确认此人的账号仍可用、没有屏蔽或删除机器人；必要时重新发邀请码（invite）让其再次绑定。']
      : rows.some((r) => r.chatRef.includes(':dm:'))
        ? ['私聊：请确认该账号仍可用、没有屏蔽或删除机器人。']
        : []),
  ];
  lines.push(`涉及平台：${failing}。${checks.join('')}`, '完整列表：npm run cli -- dead-letters');
  return lines.join('\n');
}

/** The admin's chat for a digest: an account on a platform that is running and did not fail, else their latest one. */
async function digestChatFor(db: Tx, person: { id: number; staffId: string }, failing: ReadonlySet<string>, running: ReadonlySet<string>): Promise<string> {
  const accounts = await accountsOf(db, person.id);
  const other = accounts.find((a) => !failing.has(a.platform) && running.has(a.platform)) ?? accounts.find((a) => !failing.has(a.platform));
  const chosen = other ?? accounts[0];
  return chosen ? `${chosen.platform}:dm:${chosen.accountId}` : `console:dm:${person.staffId}`;
}

export interface Digest {
  messages: number;
  /** The chats it was written to, one per county admin. */
  to: string[];
}

/**
 * Writes one digest of every dead message not yet reported to each county admin, when there are some and the last
 * digest is at least `everyMs` old. Of two processes only one writes it (the rows are taken inside the transaction).
 */
export async function writeDigestIfDue(
  db: Db,
  now: Date,
  o: { timeZone: string; digestEveryMs: number },
  running: ReadonlySet<string>,
): Promise<Digest | null> {
  if (!(await hasUnreportedDead(db))) return null;
  const last = await lastDigestAt(db);
  if (last && now.getTime() - last.getTime() < o.digestEveryMs) return null;
  return inTransaction(db, async (tx) => {
    const rows = await takeUnreportedDead(tx, now);
    if (rows.length === 0) return null;
    const text = await digestText(tx, rows, o.timeZone);
    const failing = new Set(rows.map((r) => platformOf(r.chatRef)));
    const to: string[] = [];
    for (const admin of await peopleWithRole(tx, 'county')) {
      const chatRef = await digestChatFor(tx, admin, failing, running);
      await enqueue(tx, now, { chatRef, personId: admin.id, text, kind: DELIVERY_REPORT });
      to.push(chatRef);
    }
    return { messages: rows.length, to };
  });
}
