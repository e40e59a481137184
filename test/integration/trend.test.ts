/** 趋势: PNG charts rendered without a browser, the right size, with no student names; and with the report reminder. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/reports/charts.js';
import { schoolTrend } from '../../src/reports/trend.js';
import { runnerFor } from '../helpers/duty-sim.js';

let app: TestApp;

function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
const fileOf = (attachment: string) => /\((.+\.png)\)$/.exec(attachment)![1]!;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-13T15:30:00+08:00' });
  const teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  await app.session.say(teacher.staffId, '班级群', '绑定班级');
  await app.session.say(teacher.staffId, '班级群', '应到30 实到28 病假2');
}, 60_000);
afterAll(async () => app?.close());

describe('trend charts', () => {
  it("a principal's chart: the school's weekly attendance from the counts, open cases, as a 900×500 PNG", async () => {
    const t = await schoolTrend(app.deps, app.deps.db, 1, '2026-11-13');
    expect(t.weeks[0]).toBe('2026-W36');
    expect(t.weeks.at(-1)).toBe('2026-W46');
    expect(t.attendance.at(-1)).toBeCloseTo(28 / 30);
    expect(t.attendance.slice(0, -1).every((v) => v === null)).toBe(true);
    const out = (await app.session.say('T0009', '校长群', '趋势')).delivered;
    expect(out[0]!.chat).toBe('校长群');
    expect(pngSize(fileOf(out[0]!.attachment!))).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });

  it("a town official gets the town's schools side by side; the county one chart per town", async () => {
    const town = (await app.session.say('T0002', 'dm', '趋势')).delivered;
    expect(town).toHaveLength(1);
    expect(town[0]!.text).toContain('青石镇 各校本学期辍学率');
    expect(pngSize(fileOf(town[0]!.attachment!)).width).toBe(CHART_WIDTH);
    const county = (await app.session.say('T0001', 'dm', '趋势')).delivered;
    expect(county.filter((d) => d.attachment)).toHaveLength(2);
    expect((await app.session.say('T0012', 'dm', '趋势')).delivered[0]!.attachment).toBeUndefined();
  });

  it("the monthly report reminder carries the school's chart", async () => {
    app.clock.set('2026-11-20T08:59:00+08:00');
    const runner = runnerFor(app);
    await runner.tick();
    app.clock.set('2026-11-20T09:00:00+08:00');
    await runner.tick();
    const reminders = (await app.session.flush()).filter((d) => d.text.includes('月报提醒'));
    expect(reminders).toHaveLength(3);
    for (const r of reminders) expect(pngSize(fileOf(r.attachment!)).height).toBe(CHART_HEIGHT);
  });
});
