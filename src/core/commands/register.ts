/** 学籍变动: transfer out, suspension, borrowing study. Not dropouts, and never counted as such. */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { dateWord, tokens } from '../parse-args.js';
import { resolveStudent } from '../resolve.js';
import { changeRegister, REGISTER_CHANGES, type RegisterChange } from '../../services/register.js';
import { dayLabel } from '../../services/format.js';

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
    async run(ctx, args) {
      const t = tokens(args);
      const date = t.map((x) => dateWord(x, ctx.today)).find((d) => d !== undefined) ?? ctx.today;
      const rest = t.filter((x) => !dateWord(x, ctx.today));
      if (rest.length !== 1) refuse('请写一名学生，可加日期。', example);
      if (date > ctx.today) refuse('不能登记未来日期的学籍变动。', example);
      const s = await resolveStudent(ctx, rest[0]!, example);
      if (s.status === change) refuse(`${s.name}已经是${label}状态。`, example);
      if (s.status !== 'enrolled' && s.status !== 'dropped_out') refuse(`${s.name}目前不在籍（${s.status}），请联系县教育局处理学籍。`, example);
      const r = await changeRegister(ctx.deps, ctx.tx, s, change, date, ctx.person.id);
      if (!r.ok) refuse(r.reason);
      const extra = [r.caseNote, r.alertsWithdrawn ? `${r.alertsWithdrawn} 条缺勤预警已撤销并告知相关人员` : undefined].filter(Boolean).join('，');
      await ctx.reply(`已登记：${s.name}（${s.class.name}）${dayLabel(date)}${label}。学籍变动不计入辍学，该生不再计入本校在籍人数${extra ? `；${extra}` : ''}。跨乡镇转学和初中学生的学籍手续由县教育局办理。`);
    },
  };
}

export { transferOut } from './transfers.js';
export const suspend = registerCommand('suspended', ['休学', 'suspend'], 'record a suspension of schooling (not a dropout)');
export const borrowing = registerCommand('borrowing', ['借读', 'borrowing'], 'record borrowing study elsewhere (not a dropout)');
