/**
 * 目标: a town's or school's own targets. Anyone responsible for a town or school sees the targets in force for it;
 * the county education bureau sets one figure for one unit at a time (`目标 青石镇 初中辍学率 1.5%`). Numbers only:
 * safe in any chat. Each setting is a new row (the latest in force), with who set it.
 */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { RATE_SET } from '../../domain/labels.js';
import { formatRate, RATE_KEYS, RATE_LABELS, TARGET_FIELD, TARGET_KIND, type Targets } from '../../domain/rates.js';
import { targetBook } from '../../services/targets.js';
import { TARGET_FIGURE_NAMES } from '../../roster/rates-tables.js';
import { addTargets } from '../../store/rates.repository.js';
import { schoolTownById, townNameById } from '../../store/place.repository.js';

const EXAMPLE = '目标 青石镇 初中辍学率 1.5%';

const FORMAT = `格式是“目标 单位 指标 目标值”，单位为乡镇或学校名称，指标为 ${TARGET_FIGURE_NAMES} 之一，目标值带 % 号。`;
const ARGS = [
  { name: 'unit', kind: 'unit', title: '单位', missing: FORMAT },
  { name: 'figure', kind: 'label', set: RATE_SET, title: '指标', missing: FORMAT },
  { name: 'value', kind: 'percent', title: '目标值', missing: FORMAT },
] as const satisfies readonly ArgSpec[];

const describe = (t: Targets) => RATE_KEYS.map((k) => `${RATE_LABELS[k]} ${TARGET_KIND[k] === 'max' ? '≤' : '≥'} ${formatRate(t[TARGET_FIELD[k]])}`).join('，');

export const targets: CommandDef = {
  id: 'targets',
  words: ['目标', '设定目标', 'targets'],
  roles: ['county', 'town', 'principal'],
  where: 'any',
  mutates: true,
  summary: {
    zh: '查看本单位的控辍目标；县教育局可为乡镇、学校单独设定（未设的沿用县目标）',
    en: "see your unit's targets; the county sets a town's or school's own",
  },
  example: EXAMPLE,
  async run(ctx, args) {
    const { actor, tx, deps } = ctx;
    const book = await targetBook(tx, deps.targets);
    const words = args.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) {
      if (actor.role === 'principal' && actor.schoolId != null) {
        const s = await schoolTownById(tx, actor.schoolId);
        return ctx.reply(
          `${s.name}的目标：${describe(book.school(actor.schoolId, s.townId))}${book.hasOwn('school', actor.schoolId) ? '' : '（沿用乡镇或县目标）'}`,
        );
      }
      if (actor.role === 'town' && actor.townId != null) {
        const t = await townNameById(tx, actor.townId);
        return ctx.reply(`${t.name}的目标：${describe(book.town(actor.townId))}${book.hasOwn('town', actor.townId) ? '' : '（沿用县目标）'}`);
      }
      return ctx.reply(`全县目标：${describe(book.county)}。\n为乡镇或学校单独设定：${EXAMPLE}`);
    }
    if (actor.role !== 'county') refuse('只有县教育局可以设定目标；发“目标”可查看本单位的目标。', '目标');
    const { unit: u, figure: f, value } = await readArgs(ctx, ARGS, args, EXAMPLE);
    const { name, ...unit } = u;
    const figure = f.value;
    await addTargets(tx, [{ ...unit, figure, value }], ctx.now, ctx.person.id);
    const county = deps.targets[TARGET_FIELD[figure]];
    await ctx.reply(
      `已设定 ${name} ${RATE_LABELS[figure]}目标：${TARGET_KIND[figure] === 'max' ? '不高于' : '不低于'} ${formatRate(value)}（县目标 ${formatRate(county)}）。此后“情况”和月报表按此目标检查。`,
    );
  },
};
