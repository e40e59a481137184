/** Status figures: chronic absence at risk, days off, and no names in group chats. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };

beforeAll(async () => {
  // 2% of this term's school days (Sep 1 – Nov 20: about 55) is two days: two sick days put a student at risk.
  app = await makeApp({ now: '2026-11-19T08:30:00+08:00', env: { CHRONIC_ABSENCE_RATIO: '0.02' } });
  teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
});
afterAll(async () => app?.close());

const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered;

describe('status', () => {
  it('flags chronic absence (any reason) before it becomes a dropout', async () => {
    const s = await app.deps.db.student.findFirstOrThrow({ where: { classId: teacher.classId! } });
    await say(teacher.staffId, `缺勤 ${s.studentNo} 病假`);
    expect((await say(teacher.staffId, '情况'))[0]!.text).not.toContain('长期缺勤风险');
    app.clock.set('2026-11-20T08:30:00+08:00');
    await say(teacher.staffId, `缺勤 ${s.studentNo} 事假`);
    const out = await say(teacher.staffId, '情况', '某班群');
    expect(out[0]!.text).toContain('长期缺勤风险 1 人');
    expect(out[0]!.text).not.toContain(s.name);
  });

  it('on a weekend says there is no school rather than "not reported"', async () => {
    app.clock.set('2026-11-21T10:00:00+08:00');
    const out = await say(teacher.staffId, '情况');
    expect(out[0]!.text).toContain('今天不上课（周末）');
  });

  it('a nine-year school shows each stage against its own target; a breach is marked', async () => {
    const school = await app.deps.db.school.findFirstOrThrow({ where: { kind: 'nine_year' } });
    const principal = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: school.id } });
    const junior = await app.deps.db.student.findMany({ where: { class: { schoolId: school.id, stage: 'junior' } }, take: 2 });
    // 2 of the 63 junior students confirmed as dropouts this term: 2 ÷ (61 + 2) = 3.17%, over the 1.8% limit; the primary stage stays at 0
    const now = app.clock.now();
    for (const j of junior) {
      const teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: j.classId } });
      const cadre = await app.deps.db.person.findFirstOrThrow({ where: { role: 'village', villageId: j.villageId } });
      for (const day of ['2026-11-16', '2026-11-17', '2026-11-18']) {
        app.clock.set(`${day}T09:00:00+08:00`);
        await say(teacher.staffId, `缺勤 ${j.studentNo} 旷课`);
      }
      await say(cadre.staffId, `家访 ${j.studentNo} 外出务工 拒绝返校`);
      await say(principal.staffId, `确认辍学 ${j.studentNo}`);
    }
    app.clock.set(now);
    expect(await app.deps.db.student.count({ where: { id: { in: junior.map((j) => j.id) }, status: 'dropped_out' } })).toBe(2);
    const text = (await say(principal.staffId, '情况'))[0]!.text;
    expect(text).toContain('小学辍学率 0.00%');
    expect(text).toContain('初中辍学率 3.17%');
    expect(text).toContain('⚠️ 初中辍学率 3.17%，超过目标 1.80%（一票否决）');
    expect(text).not.toContain('⚠️ 小学辍学率');
  });

  it('officials see their area by school', async () => {
    const county = await app.deps.db.person.findFirstOrThrow({ where: { role: 'county' } });
    const out = await say(county.staffId, '情况');
    expect(out[0]!.text).toMatch(/辖区情况.*3 所学校/);
  });
});
