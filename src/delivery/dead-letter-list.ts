/** `npm run cli -- dead-letters`: every message that could not be delivered, newest first, in the county's time. */
import type { Tx } from '../store/prisma.js';
import { deadLetters } from '../store/outbox-upkeep.repository.js';
import { describeTarget, gist, localLabel } from './dead-letter.js';

export async function listDeadLetters(db: Tx, timeZone: string, limit = 100): Promise<string> {
  const { total, rows } = await deadLetters(db, limit);
  if (total === 0) return '没有未送达的消息。';
  const lines = [`未送达的消息共 ${total} 条${total > rows.length ? `，以下是最近的 ${rows.length} 条（--limit 可调）` : ''}（时间为 ${timeZone} 当地时间）：`];
  for (const m of rows) {
    const told =
      m.kind === 'delivery_report'
        ? '（这是一份投递失败汇总，本身未送达）'
        : m.deadReportedAt
          ? `已于 ${localLabel(m.deadReportedAt, timeZone)} 汇总告知县管理员`
          : '尚未汇总告知';
    lines.push(
      `#${m.id}  ${localLabel(m.createdAt, timeZone)} 写入，最后尝试 ${m.claimedAt ? localLabel(m.claimedAt, timeZone) : '—'}，共 ${m.attempts} 次`,
      `    发往：${await describeTarget(db, m)}`,
      `    内容：“${gist(m.text)}”`,
      `    最后错误：${(m.lastError ?? '').slice(0, 200)}`,
      `    ${told}`,
    );
  }
  return lines.join('\n');
}
