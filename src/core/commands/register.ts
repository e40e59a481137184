/** 学籍变动: transfer out, suspension, borrowing study. Not dropouts, and never counted as such. */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { changeRegister, REGISTER_CHANGES, type RegisterChange } from '../../services/register.js';
import { dayLabel } from '../../services/format.js';

const REGISTER_ARGS = [
  { name: 'date', kind: 'date', title: '日期', optional: true, at: 'any', notFuture: '不能登记未来日期的学籍变动。' },
  { name: 'student', kind: 'student', title: '学生', missing: '请写一名学生，可加日期。' },
] as const satisfies readonly ArgSpec[];

function registerCommand(change: RegisterChange, words: string[], en: string): CommandDef {
  const { label } = REGISTER_CHANGES[change];
  const example = `${words[0]} 张三`;
  return {
    id: change,
    words,
    roles: ['principal'],
    where: 'dm',
    mutates: true,
    summary: { zh: `登记学生${label}（学籍变动，不算辍学）`, en },
    example,
    args: REGISTER_ARGS,
    async run(ctx, args) {
      const { date = ctx.today, student: s } = await readArgs(ctx, REGISTER_ARGS, args, example);
      if (s.status === change) refuse(`${s.name}已经是${label}状态。`, example);
      if (s.status !== 'enrolled' && s.status !== 'dropped_out') refuse(`${s.name}目前不在籍（${s.status}），请联系县教育局处理学籍。`, example);
      const r = await changeRegister(ctx.deps, ctx.tx, s, change, date, ctx.person.id);
      if (!r.ok) refuse(r.reason);
      const extra = [r.caseNote, r.alertsWithdrawn ? `${r.alertsWithdrawn} 条缺勤预警已撤销并告知相关人员` : undefined].filter(Boolean).join('，');
      await ctx.reply(
        `已登记：${s.name}（${s.class.name}）${dayLabel(date)}${label}。学籍变动不计入辍学，该生不再计入本校在籍人数${extra ? `；${extra}` : ''}。跨乡镇转学和初中学生的学籍手续由县教育局办理。`,
      );
    },
  };
}

export { transferOut } from './transfers.js';
export const suspend = registerCommand('suspended', ['休学', 'suspend'], 'record a suspension of schooling (not a dropout)');
export const borrowing = registerCommand('borrowing', ['借读', 'borrowing'], 'record borrowing study elsewhere (not a dropout)');
