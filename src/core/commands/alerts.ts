/** Acknowledging an alert (收到 12, or the button). */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { parseArgs, readArgs, type ArgSpec } from '../args.js';
import { acknowledge, unackedFor } from '../../store/alert.repository.js';

/** The largest id the database holds (a 32-bit integer): anything past it is no alert (and must not reach the query). */
const MAX_ALERT_ID = 2_147_483_647;
/** One number, or several (an escalation digest lists several): 收到 12、13 */
const ACK_ARGS = [
  {
    name: 'ids',
    kind: 'number',
    hash: true,
    max: MAX_ALERT_ID,
    title: '预警编号',
    optional: true,
    repeated: { max: 100 },
    invalid: '不是预警编号，或者没有这么大的预警编号，请核对。',
  },
] as const satisfies readonly ArgSpec[];

export const ack: CommandDef = {
  id: 'ack',
  words: ['收到', '已收到', 'ack'],
  roles: 'all',
  where: 'any',
  mutates: true,
  summary: { zh: '确认收到预警（回复预警编号）', en: 'acknowledge an alert by its number' },
  example: '收到 12',
  args: ACK_ARGS,
  async run(ctx, args) {
    // In a group, anything but alert numbers is chatter ("收到，谢谢"): no answer.
    if (ctx.chat.kind === 'group' && !parseArgs(ACK_ARGS, args, ctx.today).ok) return;
    const { ids } = await readArgs(ctx, ACK_ARGS, args, '收到 12（几条一起：收到 12、13）');
    if (ids.length === 0) {
      // A bare "收到" in a group is chatter; in a direct chat it acknowledges the one alert waiting.
      if (ctx.chat.kind === 'group') return;
      const waiting = await unackedFor(ctx.tx, ctx.person.id);
      if (waiting.length === 0) return ctx.reply('好的。您目前没有待确认的预警。');
      if (waiting.length > 1)
        refuse(`您有 ${waiting.length} 条待确认的预警（#${waiting.map((w) => w.alertId).join('、#')}），请写明编号。`, `收到 ${waiting[0]!.alertId}`);
      return confirm(ctx, [waiting[0]!.alertId]);
    }
    return confirm(ctx, [...new Set(ids)]);
  },
};

async function confirm(ctx: Parameters<CommandDef['run']>[0], alertIds: number[]): Promise<void> {
  const done: number[] = [];
  const already: number[] = [];
  for (const alertId of alertIds) {
    const r = await acknowledge(ctx.tx, alertId, ctx.person.id, ctx.now);
    // One wrong number refuses the whole reply: nothing is acknowledged, so nothing is half done.
    if (r === 'not_recipient') refuse(`预警 #${alertId} 不是发给您的，或不存在。请核对编号。`, '收到 12');
    (r === 'already' ? already : done).push(alertId);
  }
  const lines = [];
  if (done.length) lines.push(`已确认收到预警 #${done.join('、#')}。请尽快落实家访，家访后回复：家访 <姓名> <原因> <结果>`);
  if (already.length) lines.push(`预警 #${already.join('、#')} 您已经确认过了。`);
  await ctx.reply(lines.join('\n'));
}
