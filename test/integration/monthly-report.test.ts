/** The monthly report: principals confirm their school's, the town confirms the aggregate, 月报进度 shows who has. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { schoolsNotConfirmed, townsNotConfirmed } from '../../src/services/monthly-report.js';
import { actionText } from '../../src/core/router.js';

let app: TestApp;
const say = async (who: string, text: string) => (await app.session.say(who, 'dm', text)).delivered.map((d) => d.text).join('\n');

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
});
afterAll(async () => app?.close());

// Demo county: 青石镇 (T0002) has 青石镇中心小学 (T0009) and 青石镇九年一贯制学校 (T0011); 柳河镇 (T0003) has 柳河镇初级中学 (T0010).
describe('monthly report', () => {
  it('nobody has confirmed: every school and town is listed as open', async () => {
    expect((await schoolsNotConfirmed(app.deps.db, '2026-11')).map((s) => s.schoolName)).toEqual(['柳河镇初级中学', '青石镇九年一贯制学校', '青石镇中心小学']);
    expect((await townsNotConfirmed(app.deps.db, '2026-11')).map((t) => [t.townName, t.schoolsNotConfirmed.length])).toEqual([
      ['柳河镇', 1],
      ['青石镇', 2],
    ]);
  });

  it('the town is refused while a school of it has not confirmed, told which, and nothing is written', async () => {
    expect(await say('T0009', '确认月报 2026-11')).toContain('已确认 青石镇中心小学 2026-11');
    const out = await say('T0002', '确认月报 2026-11');
    expect(out).toContain('青石镇九年一贯制学校');
    expect(out).not.toContain('青石镇中心小学、');
    expect(out).toContain('正确示例');
    expect(await app.deps.db.townConfirmation.count()).toBe(0);
  });

  it('once all its schools have confirmed, the town confirms the sum of their figures', async () => {
    await say('T0011', '确认月报 2026-11');
    const out = await say('T0002', '确认月报 2026-11');
    expect(out).toContain('已确认 青石镇 2026-11 控辍保学月报（全镇汇总，2 所学校）');
    const row = await app.deps.db.townConfirmation.findFirstOrThrow();
    const schools = await app.deps.db.monthlyConfirmation.findMany();
    const onRoll = schools.reduce((n, s) => n + (JSON.parse(s.figures) as { onRoll: number }).onRoll, 0);
    expect((JSON.parse(row.figures) as { onRoll: number }).onRoll).toBe(onRoll);
    expect(onRoll).toBe(await app.deps.db.student.count({ where: { status: 'enrolled', class: { school: { townId: row.townId } } } }));
    expect(await say('T0002', '确认月报 2026-11')).toContain('不能重复确认');
  });

  it('月报进度 shows each asker only their area', async () => {
    expect(await say('T0010', '月报进度')).toBe('柳河镇初级中学 2026-11 月报：未确认。确认请回复：确认月报 2026-11');
    const town = await say('T0003', '月报进度');
    expect(town).toContain('柳河镇（全镇汇总未确认）');
    expect(town).not.toContain('青石镇');
    const county = await say('T0001', '月报进度');
    expect(county).toContain('青石镇（全镇汇总已确认）');
    expect(county).toContain('· 柳河镇初级中学：未确认');
    expect(await say('T0012', '月报进度')).toContain('只有校长、镇、县教育局可以使用');
  });

  it('the reminder button is the same as typing the command', () => {
    expect(actionText('confirm_report:2026-11')).toBe('确认月报 2026-11');
  });
});
