/** 趋势: charts instead of numbers — a school's term, or a town's schools against the targets. No names: any chat. */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { savePng, schoolTrend, schoolTrendPng, townComparisonPng } from '../../reports/trend.js';
import { allTownIds } from '../../store/place.repository.js';

export const trend: CommandDef = {
  id: 'trend',
  words: ['趋势', '趋势图', 'trend'],
  roles: ['principal', 'town', 'county'],
  where: 'any',
  mutates: false,
  summary: { zh: '趋势图：本校每周出勤率和个案；镇、县看各校辍学率与目标', en: 'trend charts: school attendance and cases; schools against the targets' },
  example: '趋势',
  async run(ctx) {
    const { actor, deps, tx, today } = ctx;
    if (actor.role === 'principal') {
      if (actor.schoolId == null) refuse('您的账号没有关联学校，请联系管理员在人员名单中补全。');
      const t = await schoolTrend(deps, tx, actor.schoolId, today);
      const known = t.attendance.filter((v) => v !== null).length;
      return ctx.reply(`${t.schoolName} 本学期 ${t.weeks.length} 周的趋势图（${known} 周有周统计）。`, {
        attachment: savePng(deps, `${t.schoolName}-趋势-${today}.png`, schoolTrendPng(t)),
      });
    }
    const towns = actor.role === 'town' ? (actor.townId != null ? [actor.townId] : []) : await allTownIds(tx);
    if (towns.length === 0) refuse('您的账号没有关联乡镇，请联系管理员在人员名单中补全。');
    for (const townId of towns) {
      const c = await townComparisonPng(deps, tx, townId, today);
      await ctx.reply(`${c.townName} 各校本学期辍学率与控制目标（虚线）。`, { attachment: savePng(deps, `${c.townName}-各校辍学率-${today}.png`, c.png) });
    }
  },
};
