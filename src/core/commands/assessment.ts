/**
 * 年度考核: the county's annual assessment of a school year (`年度考核 2026`), as .xlsx and PDF, sent to the asking
 * county official by direct message (from a group too: the group only hears that it was sent).
 */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { assessmentYear } from '../../services/assessment.js';
import { schoolYearOf } from '../../services/inspections.js';
import { assessmentFiles, assessmentSummary } from '../../reports/assessment-file.js';
import { sendToPerson } from '../../services/messenger.js';

export const assessment: CommandDef = {
  id: 'assessment',
  words: ['年度考核', 'assessment'],
  roles: ['county'],
  where: 'any',
  mutates: false,
  summary: {
    zh: '全县控辍保学工作年度考核表（每校、每乡镇一行，Excel 和 PDF，私信发送）',
    en: 'the annual assessment of schools and towns (.xlsx and PDF, by DM)',
  },
  example: '年度考核 2026',
  async run(ctx, args) {
    const current = schoolYearOf(ctx.today);
    const year = assessmentYear(args.trim() || current, ctx.today);
    if (typeof year !== 'number') refuse(year.error, `年度考核 ${current}`);
    const { model, attachments } = await assessmentFiles(ctx.deps, ctx.tx, year, ctx.today, ['xlsx', 'pdf']);
    const summary = assessmentSummary(model);
    for (const attachment of attachments) {
      const what = attachment.filename.endsWith('.pdf') ? 'PDF，可直接打印、签字盖章' : 'Excel，可筛选排序';
      await sendToPerson(ctx.tx, ctx.now, ctx.person.id, `${model.title}（${what}）见附件。`, { attachment });
    }
    if (ctx.chat.kind === 'dm') await ctx.reply(`${summary}\n考核表（Excel 和 PDF）已私信发送。`);
    else await ctx.reply('年度考核表已私信发给您。');
  },
};
