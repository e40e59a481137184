/** Cases end to end: suspected → visit → confirmed → notice; corrections and register changes are not dropouts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };
let principal: { staffId: string };
let cadre: { staffId: string };
let town: { staffId: string };
let county: { staffId: string };
let receiving: { name: string; principal: string };
let a: { id: number; name: string; studentNo: string };
let b: { id: number; name: string; studentNo: string };

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'desc' } });
  const students = await db.student.findMany({ where: { classId: teacher.classId! }, include: { village: true, class: true }, orderBy: { id: 'asc' } });
  [a, b] = [students[0]!, students[1]!];
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: students[0]!.class.schoolId } });
  cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: students[0]!.villageId } });
  town = await db.person.findFirstOrThrow({ where: { role: 'town', townId: students[0]!.village.townId } });
  county = await db.person.findFirstOrThrow({ where: { role: 'county' } });
  // another school teaching the same stage receives the transfer
  const stage = students[0]!.class.stage;
  const other = await db.school.findFirstOrThrow({
    where: { id: { not: students[0]!.class.schoolId }, kind: { in: [stage, 'nine_year'] } },
    orderBy: { id: 'asc' },
  });
  receiving = { name: other.name, principal: (await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: other.id } })).staffId };
});
afterAll(async () => app?.close());

const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered;
const to = (ds: Delivered[], id: string) =>
  ds
    .filter((d) => d.to === id)
    .map((d) => d.text)
    .join('\n');
const day = (d: string) => app.clock.set(`${d}T08:30:00+08:00`);

describe('a suspected dropout through the ledgers', () => {
  it('three unexcused days (Wed, Thu, Fri) open a suspected case assigned to both lines', async () => {
    for (const d of ['2026-11-18', '2026-11-19', '2026-11-20']) {
      day(d);
      await say(teacher.staffId, `缺勤 ${a.studentNo} 旷课 ${b.studentNo} 旷课`);
    }
    const cases = await app.deps.db.dropoutCase.findMany({ include: { events: true }, orderBy: { id: 'asc' } });
    expect(cases.map((c) => c.state)).toEqual(['suspected', 'suspected']);
    expect(cases[0]!.events[0]!.type).toBe('assign');
  });

  it('confirming needs a home visit first; the refusal says why and changes nothing', async () => {
    const out = await say(principal.staffId, `确认辍学 ${a.studentNo}`);
    expect(out[0]!.text).toContain('家访');
    expect(out[0]!.text).toContain('正确示例');
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: a.id } })).state).toBe('suspected');
  });

  it('the village cadre logs a failed visit, the principal confirms, the town issues the notice', async () => {
    const v = await say(cadre.staffId, `家访 ${a.studentNo} 外出务工 拒绝返校 跟父母去了外省`);
    expect(v[0]!.text).toContain('已记录家访');
    const c = await say(principal.staffId, `确认辍学 ${a.studentNo}`);
    expect(c[0]!.text).toContain('已确认辍学');
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('dropped_out');
    const n = await say(town.staffId, `返校通知 ${a.studentNo} 2026-12-10`);
    expect(n[0]!.text).toContain('期限 2026-12-10');
    const roster = await say(town.staffId, '辍学名单');
    expect(roster[0]!.text).toContain(a.name);
    expect(roster[0]!.text).not.toContain(b.name); // b is only suspected: not on the dropout roster
  });

  it('a confirmed dropout cannot be recorded absent, nor quietly transferred away', async () => {
    const out = await say(teacher.staffId, `缺勤 ${a.studentNo} 旷课`);
    expect(out[0]!.text).toContain('已确认辍学');
    const bare = await say(principal.staffId, `转学 ${a.studentNo}`);
    expect(bare[0]!.text).toContain('接收学校');
    await say(principal.staffId, `转学 ${a.studentNo} ${receiving.name}`);
    // a transfer request changes nothing on the roster until the receiving school confirms the pupil arrived
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('dropped_out');
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: a.id } })).state).toBe('notice_issued');
    expect((await say(town.staffId, '辍学名单'))[0]!.text).toContain(a.name);
  });

  it('the student returns: the case is followed (跟踪中(复学后), closed at the end) and the student is back on the roll', async () => {
    day('2026-11-23');
    const out = await say(teacher.staffId, `复学 ${a.studentNo}`);
    expect(to(out, teacher.staffId)).toContain('跟踪中(复学后)');
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: a.id } })).state).toBe('following');
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('enrolled');
  });
});

describe('not dropouts', () => {
  it('a transfer withdraws the suspected case and the alerts only once the receiving school confirms, and tells those alerted', async () => {
    const out = await say(principal.staffId, `转学 ${b.studentNo} ${receiving.name}`);
    expect(to(out, principal.staffId)).toMatch(/已登记转学|已提交转学申请/);
    const request = await app.deps.db.transferRequest.findFirstOrThrow({ where: { studentId: b.id } });
    if (request.state === 'awaiting_approval') await say(county.staffId, `批准转学 ${request.id}`);
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: b.id } })).state).toBe('suspected');
    expect(await app.deps.db.alert.count({ where: { studentId: b.id, status: 'open' } })).toBeGreaterThan(0);
    const cls = await app.deps.db.schoolClass.findFirstOrThrow({
      where: { school: { name: receiving.name }, stage: (await app.deps.db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } })).stage },
      orderBy: { id: 'asc' },
    });
    const got = await say(receiving.principal, `接收 ${b.studentNo} ${cls.name}`);
    expect(to(got, receiving.principal)).toContain('已确认接收');
    expect(to(got, cadre.staffId)).toContain('不属于辍学');
    const c = await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: b.id } });
    expect(c.state).toBe('withdrawn');
    expect(await app.deps.db.alert.count({ where: { studentId: b.id, status: 'open' } })).toBe(0);
    expect((await app.deps.db.student.findUniqueOrThrow({ where: { id: b.id } })).classId).toBe(cls.id);
  });

  it('a correction of the third day withdraws the suspected case too', async () => {
    const [c] = await app.deps.db.student.findMany({ where: { classId: teacher.classId!, status: 'enrolled', id: { notIn: [a.id, b.id] } }, take: 1 });
    for (const d of ['2026-11-24', '2026-11-25', '2026-11-26']) {
      day(d);
      await say(teacher.staffId, `缺勤 ${c!.studentNo} 旷课`);
    }
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: c!.id } })).state).toBe('suspected');
    await say(teacher.staffId, `更正 ${c!.studentNo} 病假 11-26`);
    expect((await app.deps.db.dropoutCase.findFirstOrThrow({ where: { studentId: c!.id } })).state).toBe('withdrawn');
    // the first two days still were unexcused: those alerts close as resolved (the family gave a reason), not withdrawn
    const all = await app.deps.db.alert.findMany({ where: { studentId: c!.id }, orderBy: { id: 'asc' } });
    expect(all.map((x) => `${x.step}:${x.status}`)).toEqual(['call_family:resolved', 'joint_home_visit:resolved', 'suspected_dropout:withdrawn']);
  });
});
