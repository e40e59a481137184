/** Messages that are not commands: a yes to a pending question, a weekly count, or chatter. */
import type { Ctx } from './context.js';
import { confirmPending, handleCountText } from './weekly-count.js';
import { head } from './inbound-text.js';

const YES = /^(确认|是|是的|对|对的|没错|yes|y|confirm)[。.!！]?$/i;

export async function handlePlainText(ctx: Ctx, text: string): Promise<boolean> {
  if (YES.test(text) && (await confirmPending(ctx))) return true;
  const a = ctx.actor;
  if (ctx.chat.kind === 'group') {
    // Only the class teacher of the class this group is bound to reports its count; anything else is chatter.
    if (ctx.groupClassId === undefined || a.role !== 'class_teacher' || a.classId !== ctx.groupClassId) return false;
    return handleCountText(ctx, ctx.groupClassId, text);
  }
  if (a.role === 'class_teacher' && a.classId != null && (await handleCountText(ctx, a.classId, text))) return true;
  await ctx.reply(`没有看懂“${head(text, 30)}”。发送「帮助」查看可以用的命令，例如：缺勤 张三 病假`);
  return true;
}
