/** 抽查: the county draws a quarter's unannounced inspections, shows them, reveals them, and lists the results. */
import type { CommandDef } from '../registry.js';
import { refuse, type Ctx } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { quarterOf, quarterRange } from '../../domain/inspection-draw.js';
import { DrawError, drawLines, drawQuarter, revealDraw } from '../../services/inspection-draw.js';
import { resultLines } from '../../services/inspection-results.js';
import { schoolYearOf } from '../../services/inspections.js';
import { drawOf } from '../../store/inspection.repository.js';

const DRAW_EXAMPLE = '抽查 2026Q4（可加：5所 每校2班）';

export const inspectionDraw: CommandDef = {
  id: 'inspection_draw',
  words: ['抽查', 'inspection'],
  roles: ['county'],
  where: 'dm',
  mutates: true,
  summary: {
    zh: '季度不定期抽查：抽签（只有县里看得到）、查看；“抽查 结果”看本学年结果',
    en: 'draw a quarter’s unannounced inspections; “抽查 结果” lists results',
  },
  example: '抽查 2026Q4',
  async run(ctx, args) {
    const a = args.trim();
    if (/^(结果|results?)/i.test(a)) return results(ctx, a.replace(/^(结果|results?)/i, '').trim());
    const q = /^(\d{4}\s*[Qq]\s*[1-4])?\s*(?:(\d+)\s*所)?\s*(?:每校\s*(\d+)\s*(?:个)?班)?$/.exec(a);
    if (!q) refuse(`看不懂“${a}”。写季度，可选学校数和每校班级数。`, DRAW_EXAMPLE);
    const quarter = q[1] ? q[1].replace(/\s+/g, '').toUpperCase() : quarterOf(ctx.today);
    if (!quarterRange(quarter)) refuse(`“${quarter}”不是季度。`, DRAW_EXAMPLE);
    const r = await drawQuarter(ctx.deps, ctx.tx, {
      quarter,
      ...(q[2] ? { schools: Number(q[2]) } : {}),
      ...(q[3] ? { classesPerSchool: Number(q[3]) } : {}),
      byId: ctx.person.id,
      today: ctx.today,
    }).catch((e: unknown) => (e instanceof DrawError ? refuse(e.message, DRAW_EXAMPLE) : Promise.reject(e)));
    const d = r.draw;
    const head = r.fresh
      ? `已完成 ${quarter} 季度抽查抽签（仅县教育局可见，请勿外传）。承诺值已告知各乡镇：\n${d.commitment}`
      : `${quarter} 已经抽过签（每季度只抽一次，不能重抽）。承诺值：${d.commitment}${d.revealedAt ? '\n本季度抽签已公开。' : ''}`;
    await ctx.reply(
      [
        head,
        '抽中的学校、日期和班级：',
        ...drawLines(d),
        `到校后私信登记：抽查记录 <班级> 实到<人数> 缺勤 <姓名…>；全部登记后自动公开，也可提前公开：抽查公开 ${quarter}`,
      ].join('\n'),
    );
  },
};

async function results(ctx: Ctx, arg: string): Promise<void> {
  const m = /^(\d{4})?\s*(?:学年)?$/.exec(arg);
  if (!m) refuse(`“${arg}”不是学年。学年写开始的年份。`, '抽查 结果 2026');
  await ctx.reply((await resultLines(ctx.tx, m[1] ?? schoolYearOf(ctx.today), ctx.today)).join('\n'));
}

const REVEAL_ARGS = [{ name: 'quarter', kind: 'quarter', title: '季度', optional: true }] as const satisfies readonly ArgSpec[];

export const inspectionReveal: CommandDef = {
  id: 'inspection_reveal',
  words: ['抽查公开', 'inspection_reveal'],
  roles: ['county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '公开季度抽签结果和随机种子，供各乡镇核验', en: 'reveal a quarter’s draw and seed for verification' },
  example: '抽查公开 2026Q4',
  args: REVEAL_ARGS,
  async run(ctx, args) {
    const quarter = (await readArgs(ctx, REVEAL_ARGS, args.replace(/\s+/g, ''), '抽查公开 2026Q4')).quarter ?? quarterOf(ctx.today);
    if (!quarterRange(quarter)) refuse(`“${quarter}”不是季度。`, '抽查公开 2026Q4');
    const d = await drawOf(ctx.tx, quarter);
    if (!d) refuse(`${quarter} 还没有抽签。`, `抽查 ${quarter}`);
    if (!(await revealDraw(ctx.deps, ctx.tx, d, ctx.person.id))) return ctx.reply(`${quarter} 的抽签已经公开过了。`);
    await ctx.reply(`已向各乡镇和县教育局公开 ${quarter} 的抽签结果、随机种子和承诺值。`);
  },
};
