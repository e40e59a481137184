/** 过错记录: the county lists who let alerts climb without a home visit, by school or person. */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { faultFilterFor, faultLines } from '../../services/faults.js';

const ARGS = [{ name: 'who', kind: 'text', raw: true, title: '学校或工号', optional: true }] as const satisfies readonly ArgSpec[];

export const faults: CommandDef = {
  id: 'faults',
  words: ['过错记录', 'faults'],
  roles: ['county'],
  where: 'dm',
  mutates: false,
  summary: { zh: '过错责任追究：预警升级时未登记家访的责任人，按学校或人员查看', en: 'fault record: who let alerts climb, by school or person' },
  example: '过错记录 青石镇中心小学',
  args: ARGS,
  async run(ctx, args) {
    const { who = '' } = await readArgs(ctx, ARGS, args, '过错记录 青石镇中心小学（或：过错记录 T0003）');
    const filter = await faultFilterFor(ctx.tx, who);
    if ('error' in filter) refuse(filter.error, '过错记录 青石镇中心小学（或：过错记录 T0003）');
    await ctx.reply((await faultLines(ctx.tx, filter, ctx.deps.config.TIMEZONE)).join('\n'));
  },
};
