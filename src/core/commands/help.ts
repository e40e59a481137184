/** Help for the asker's role: only the commands they may use, each with an example. */
import type { CommandDef } from '../registry.js';
import { ROLE_LABELS } from '../../domain/types.js';
import { acceptedLabels } from '../args.js';

export function helpFor(defs: readonly CommandDef[]): CommandDef {
  return {
    id: 'help',
    words: ['帮助', '菜单', '命令', 'help', 'menu'],
    roles: 'all',
    where: 'any',
    mutates: false,
    summary: { zh: '查看我可以用的命令', en: 'what I can do for you' },
    example: '帮助',
    async run(ctx) {
      const en = ctx.lang === 'en';
      const mine = defs.filter((d) => d.roles === 'all' || d.roles.includes(ctx.actor.role));
      const lines = mine.map((d) => {
        const where = d.where === 'dm' ? (en ? ' (direct message)' : '（私聊）') : d.where === 'group' ? (en ? ' (class group)' : '（班级群）') : '';
        const alias = d.words.find((w) => /^[a-z_]+$/.test(w));
        const labels = acceptedLabels(d.args);
        return `• ${en ? d.summary.en : d.summary.zh}${where}\n  ${en ? 'e.g.' : '例'}：${d.example}${alias ? `（/${alias}）` : ''}${labels ? `\n  ${en ? 'accepts' : '可写'}：${labels}` : ''}`;
      });
      const head = en ? `Commands for ${ctx.actor.role} ${ctx.person.name}:` : `${ctx.person.name}（${ROLE_LABELS[ctx.actor.role]}）可以用的命令：`;
      const tail =
        ctx.actor.role === 'class_teacher'
          ? en
            ? 'In your class group you can also just reply with the weekly count, e.g. 应到45 实到44 病假1'
            : '在班级群里也可以直接回复周统计，如：应到45 实到44 病假1'
          : '';
      await ctx.reply([head, ...lines, tail].filter(Boolean).join('\n'));
    },
  };
}
