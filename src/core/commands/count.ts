/** The weekly count as an explicit command (for chats where the bot cannot see plain messages). */
import type { CommandDef } from '../registry.js';
import { refuse, type Ctx } from '../context.js';
import { handleCountText } from '../weekly-count.js';

const EXAMPLE = '周统计 应到45 实到43 病假1 事假1';

function classOf(ctx: Ctx): number {
  if (ctx.actor.classId == null) refuse('您的账号还没有关联班级。');
  if (ctx.chat.kind === 'group' && ctx.groupClassId !== ctx.actor.classId) {
    refuse('本群还没有绑定为您的班级群，请先发送「绑定班级」，或私信我报统计。', '绑定班级 三(2)班');
  }
  return ctx.actor.classId;
}

export const count: CommandDef = {
  id: 'count',
  words: ['周统计', '统计', 'count'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: { zh: '报本班本周统计（也可以在班级群里直接回复数字，全班都到校回复：全勤）', en: "report this week's class count" },
  example: EXAMPLE,
  async run(ctx, args) {
    if (!(await handleCountText(ctx, classOf(ctx), args))) refuse('没有读到统计数字。', EXAMPLE);
  },
};

/**
 * 本周全勤 (and 本周都到了…): without this word, "本周…" would be read as the status command's 本周. The whole roll is
 * present; any figures after it (本周全勤，应到38人) are checked as usual.
 */
export const weekAllPresent: CommandDef = {
  id: 'count_all_present',
  words: ['本周全勤', '本周都到了', '本周无缺勤', '本周没有缺勤'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: { zh: '本班本周全勤（按学籍名册人数记录周统计）', en: "this week's class count: everyone present" },
  example: '本周全勤',
  async run(ctx, args) {
    await handleCountText(ctx, classOf(ctx), `全勤 ${args}`);
  },
};
