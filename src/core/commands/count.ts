/** The weekly count as an explicit command (for chats where the bot cannot see plain messages). */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { handleCountText } from '../weekly-count.js';

const EXAMPLE = '周统计 应到45 实到43 病假1 旷课1';

export const count: CommandDef = {
  id: 'count',
  words: ['周统计', '统计', 'count'],
  roles: ['class_teacher'],
  where: 'any',
  mutates: true,
  summary: { zh: '报本班本周统计（也可以在班级群里直接回复数字）', en: "report this week's class count" },
  example: EXAMPLE,
  async run(ctx, args) {
    if (ctx.actor.classId == null) refuse('您的账号还没有关联班级。');
    if (ctx.chat.kind === 'group' && ctx.groupClassId !== ctx.actor.classId) {
      refuse('本群还没有绑定为您的班级群，请先发送「绑定班级」，或私信我报统计。', '绑定班级 三(2)班');
    }
    if (!(await handleCountText(ctx, ctx.actor.classId, args))) refuse('没有读到统计数字。', EXAMPLE);
  },
};
