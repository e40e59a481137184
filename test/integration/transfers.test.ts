/**
 * Transfers through the router: a suspected dropout transferred stays on the ledger (转学待核实) with its alerts open
 * until the receiving school confirms; only the receiving school's principal may confirm; junior-high, cross-town and
 * out-of-county transfers wait for the county bureau; the towns are told by DM; an out-of-county 回执 closes it; no
 * pupil's name ever reaches a group chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
type Pupil = { id: number; name: string; studentNo: string; classId: number };
type School = { id: number; name: string; principal: string };
let A: School; // 青石镇中心小学 (primary, 青石镇)
let B: School; // 柳河镇初级中学 (junior, 柳河镇)
let C: School; // 青石镇九年一贯制学校 (nine-year, 青石镇)
let D: School; // a primary school of 柳河镇, added for the cross-town case
let county: string;
let townQ: string[]; // 青石镇 officials
let p1: Pupil; // A, truant three days, transferred within the town
let p2: Pupil; // A, cross-town transfer, refused
let p3: Pupil; // C primary, truant three days, out of the county
let p4: Pupil; // A, no alerts, transferred within the town
let j1: Pupil; // B junior, transferred to C

const say = async (who: string, text: string, chat = 'dm') => (await app.session.say(who, chat, text)).delivered;
const to = (ds: Delivered[], id: string) =>
  ds
    .filter((d) => d.to === id)
    .map((d) => d.text)
    .join('\n');
const day = (d: string) => app.clock.set(`${d}T08:30:00+08:00`);
const db = () => app.deps.db;
const caseOf = (p: Pupil) => db().dropoutCase.findFirstOrThrow({ where: { studentId: p.id }, orderBy: { id: 'desc' } });
const openAlerts = (p: Pupil) => db().alert.count({ where: { studentId: p.id, status: 'open' } });
const requestOf = (p: Pupil) => db().transferRequest.findFirstOrThrow({ where: { studentId: p.id }, orderBy: { id: 'desc' } });
const student = (p: Pupil) => db().student.findUniqueOrThrow({ where: { id: p.id } });
const teacherOf = async (p: Pupil) => (await db().person.findFirstOrThrow({ where: { role: 'class_teacher', classId: p.classId } })).staffId;

async function school(name: string): Promise<School> {
  const s = await db().school.findFirstOrThrow({ where: { name } });
  return { id: s.id, name: s.name, principal: (await db().person.findFirstOrThrow({ where: { role: 'principal', schoolId: s.id } })).staffId };
}
async function pupil(schoolId: number, stage: string, grade: number, skip = 0): Promise<Pupil> {
  const cls = await db().schoolClass.findFirstOrThrow({ where: { schoolId, stage, grade }, orderBy: { classNo: 'asc' } });
  return db().student.findFirstOrThrow({ where: { classId: cls.id, status: 'enrolled' }, orderBy: { id: 'asc' }, skip });
}
async function truantThreeDays(p: Pupil) {
  for (const d of ['2026-11-18', '2026-11-19', '2026-11-20']) {
    day(d);
    await say(await teacherOf(p), `缺勤 ${p.studentNo} 旷课`);
  }
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  [A, B, C] = [await school('青石镇中心小学'), await school('柳河镇初级中学'), await school('青石镇九年一贯制学校')];
  const liuhe = await db().town.findFirstOrThrow({ where: { name: '柳河镇' } });
  const d = await db().school.create({
    data: { name: '柳河镇中心小学', kind: 'primary', townId: liuhe.id, countyId: (await db().county.findFirstOrThrow()).id },
  });
  await db().schoolClass.create({ data: { schoolId: d.id, stage: 'primary', grade: 4, classNo: 1, name: '四(1)班' } });
  await db().person.create({ data: { staffId: 'T-D-principal', name: '柳河小学校长', role: 'principal', schoolId: d.id } });
  D = await school('柳河镇中心小学');
  county = (await db().person.findFirstOrThrow({ where: { role: 'county' } })).staffId;
  const qingshi = await db().town.findFirstOrThrow({ where: { name: '青石镇' } });
  townQ = (await db().person.findMany({ where: { role: 'town', townId: qingshi.id } })).map((p) => p.staffId);
  p1 = await pupil(A.id, 'primary', 3);
  p2 = await pupil(A.id, 'primary', 4);
  p4 = await pupil(A.id, 'primary', 5);
  p3 = await pupil(C.id, 'primary', 2);
  j1 = await pupil(B.id, 'junior', 2);
  await truantThreeDays(p1);
  await truantThreeDays(p3);
  expect([(await caseOf(p1)).state, (await caseOf(p3)).state]).toEqual(['suspected', 'suspected']);
  day('2026-11-23');
}, 120_000);
afterAll(async () => app?.close());

describe('a suspected dropout transferred within the town', () => {
  it('转学 without a receiving school is refused with an example, and changes nothing', async () => {
    const out = await say(A.principal, `转学 ${p1.studentNo}`);
    expect(out[0]!.text).toContain('接收学校');
    expect(out[0]!.text).toContain('正确示例');
    const unknown = await say(A.principal, `转学 ${p1.studentNo} 不存在的学校`);
    expect(unknown[0]!.text).toContain('本县没有名为');
    expect(await db().transferRequest.count()).toBe(0);
  });

  it('stays on the suspected ledger as 转学待核实 with its alerts open; the town is told by DM', async () => {
    const alertsBefore = await openAlerts(p1);
    const out = await say(A.principal, `转学 ${p1.studentNo} ${C.name}`);
    expect(to(out, A.principal)).toContain('已登记转学');
    expect(to(out, A.principal)).toContain('转学待核实');
    expect((await caseOf(p1)).state).toBe('suspected');
    expect(alertsBefore).toBeGreaterThan(0);
    expect(await openAlerts(p1)).toBe(alertsBefore);
    expect((await student(p1)).status).toBe('enrolled');
    expect((await requestOf(p1)).state).toBe('pending_receipt');
    for (const t of townQ) {
      const told = to(out, t);
      expect(told).toContain(p1.name);
      expect(told).toContain(A.name);
      expect(told).toContain(C.name);
      expect(told).toContain('待接收学校确认');
    }
    expect(to(out, C.principal)).toContain(`接收 ${p1.studentNo}`);
    const ledger = to(await say(townQ[0]!, '个案'), townQ[0]!);
    expect(ledger.split('\n').find((l) => l.includes(p1.name))).toContain('转学待核实');
  });

  it('接收 by a principal who is not the receiving school is refused, without the name, and changes nothing', async () => {
    for (const wrong of [B.principal, A.principal, D.principal]) {
      const out = await say(wrong, `接收 ${p1.studentNo} 三(1)班`);
      expect(out[0]!.text).toContain('不是贵校');
      expect(out[0]!.text).not.toContain(p1.name);
    }
    expect((await caseOf(p1)).state).toBe('suspected');
    expect((await requestOf(p1)).state).toBe('pending_receipt');
  });

  it('接收 by the receiving principal needs a class of the school; then the case and alerts close as transferred', async () => {
    const noClass = await say(C.principal, `接收 ${p1.studentNo}`);
    expect(noClass[0]!.text).toContain('三(1)班');
    const badClass = await say(C.principal, `接收 ${p1.studentNo} 初一(1)班`);
    expect(badClass[0]!.text).toContain('没有');
    expect((await caseOf(p1)).state).toBe('suspected');
    const out = await say(C.principal, `接收 ${p1.studentNo} 三(1)班`);
    expect(to(out, C.principal)).toContain('已确认接收');
    const kase = await caseOf(p1);
    expect(kase.state).toBe('withdrawn');
    const withdraw = await db().caseEvent.findFirstOrThrow({ where: { caseId: kase.id, type: 'withdraw' } });
    expect(JSON.parse(withdraw.payload).reason).toBe('transferred');
    expect(await openAlerts(p1)).toBe(0);
    const s = await db().student.findUniqueOrThrow({ where: { id: p1.id }, include: { class: true } });
    expect([s.class.schoolId, s.class.name, s.status]).toEqual([C.id, '三(1)班', 'enrolled']);
    const events = await db().registerEvent.findMany({ where: { studentId: p1.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.change, e.classId])).toEqual([
      ['transferred_out', p1.classId],
      ['transferred_in', s.classId],
    ]);
    for (const t of townQ) expect(to(out, t)).toContain('已确认接收');
    expect((await requestOf(p1)).state).toBe('received');
    const steps = await db().transferStep.findMany({ where: { requestId: (await requestOf(p1)).id }, orderBy: { id: 'asc' } });
    expect(steps.map((x) => x.action)).toEqual(['requested', 'effective', 'received']);
  });
});

describe('transfers the county bureau approves', () => {
  it('a junior-high transfer waits for the county; the county is told by DM; 接收 before approval is refused', async () => {
    const out = await say(B.principal, `转学 ${j1.studentNo} ${C.name}`);
    expect(to(out, B.principal)).toContain('县教育局审批');
    const r = await requestOf(j1);
    expect(r.state).toBe('awaiting_approval');
    expect(to(out, county)).toContain(`批准转学 ${r.id}`);
    expect(to(out, county)).toContain(j1.name);
    expect((await student(j1)).status).toBe('enrolled');
    const early = await say(C.principal, `接收 ${j1.studentNo} 初二(1)班`);
    expect(early[0]!.text).toContain('审批');
    const byTown = await say(townQ[0]!, `批准转学 ${r.id}`);
    expect(byTown[0]!.text).not.toContain('已批准');
    expect((await requestOf(j1)).state).toBe('awaiting_approval');
  });

  it('approved by the county, a pupil with no alerts leaves the roll; the receiving school confirms', async () => {
    const r = await requestOf(j1);
    const out = await say(county, `批准转学 ${r.id}`);
    expect(to(out, county)).toContain('已批准');
    expect(to(out, B.principal)).toContain('已批准');
    expect((await student(j1)).status).toBe('transferred_out');
    expect((await requestOf(j1)).state).toBe('pending_receipt');
    const got = await say(C.principal, `接收 ${j1.studentNo} 初二(1)班`);
    expect(to(got, C.principal)).toContain('已确认接收');
    expect((await student(j1)).status).toBe('enrolled');
  });

  it('a cross-town primary transfer waits for the county too; refused, nothing changes and the school is told why', async () => {
    const out = await say(A.principal, `转学 ${p2.studentNo} ${D.name}`);
    expect(to(out, A.principal)).toContain('跨乡镇');
    const r = await requestOf(p2);
    expect(r.state).toBe('awaiting_approval');
    expect(to(out, county)).toContain(`批准转学 ${r.id}`);
    const noReason = await say(county, `不批准转学 ${r.id}`);
    expect(noReason[0]!.text).toContain('原因');
    const no = await say(county, `不批准转学 ${r.id} 接收学校学位已满`);
    expect(to(no, A.principal)).toContain('学位已满');
    expect((await requestOf(p2)).state).toBe('refused');
    expect((await student(p2)).status).toBe('enrolled');
  });
});

describe('out of the county', () => {
  it('needs the county; approved, the suspected pupil stays on the ledger until the town records the 回执', async () => {
    const out = await say(C.principal, `转学 ${p3.studentNo} 县外 贵阳市南明区第一小学`);
    expect(to(out, C.principal)).toContain('县教育局审批');
    const r = await requestOf(p3);
    expect(r.toText).toContain('贵阳市南明区第一小学');
    await say(county, `批准转学 ${r.id}`);
    expect((await caseOf(p3)).state).toBe('suspected');
    expect(await openAlerts(p3)).toBeGreaterThan(0);
    const receiveRefused = await say(C.principal, `接收 ${p3.studentNo} 二(1)班`);
    expect(receiveRefused[0]!.text).toContain('不是贵校');
    const noNote = await say(townQ[0]!, `回执 ${p3.studentNo}`);
    expect(noNote[0]!.text).toContain('回执说明');
    expect((await caseOf(p3)).state).toBe('suspected');
    const done = await say(townQ[0]!, `回执 ${p3.studentNo} 贵阳市南明区第一小学11月25日回执，存镇教育办`);
    expect(to(done, townQ[0]!)).toContain('已登记回执');
    expect((await caseOf(p3)).state).toBe('withdrawn');
    expect(await openAlerts(p3)).toBe(0);
    expect((await student(p3)).status).toBe('transferred_out');
    expect((await requestOf(p3)).state).toBe('received');
  });
});

describe('a pupil with no alerts', () => {
  it('leaves the roll at once, and the transfer not yet confirmed is listed for the town', async () => {
    await say(A.principal, `转学 ${p4.studentNo} ${C.name} 11-20`);
    expect((await student(p4)).status).toBe('transferred_out');
    expect(await db().registerEvent.findFirstOrThrow({ where: { studentId: p4.id } })).toMatchObject({ change: 'transferred_out', on: '2026-11-20' });
    const again = await say(A.principal, `转学 ${p4.studentNo} ${C.name}`);
    expect(again[0]!.text).not.toContain('已登记转学');
    const list = to(await say(townQ[0]!, '转学名单'), townQ[0]!);
    expect(list.split('\n').find((l) => l.includes(p4.name))).toContain('待接收学校确认');
    expect(list).not.toContain(p1.name); // confirmed: no longer listed
  });
});

describe('group chats', () => {
  it('no pupil name reaches a group, whatever is sent there', async () => {
    const group = '四(1)班家长群';
    const r = await requestOf(p4);
    for (const [who, text] of [
      [A.principal, `转学 ${p2.name} ${C.name}`],
      [A.principal, `转学 ${p2.studentNo} 县外 某某学校`],
      [C.principal, `接收 ${p4.studentNo} 三(1)班`],
      [county, `批准转学 ${r.id}`],
      [county, `不批准转学 ${r.id} 测试`],
      [townQ[0]!, `回执 ${p4.studentNo} 测试`],
      [townQ[0]!, '转学名单'],
    ] as const) {
      await say(who, text, group);
    }
    const names = (await db().student.findMany({ select: { name: true } })).map((s) => s.name);
    const staff = new Set((await db().person.findMany({ select: { name: true } })).map((p) => p.name));
    const groupRows = (await db().outbox.findMany()).filter((m) => !m.chatRef.includes(':dm:'));
    expect(groupRows.length).toBeGreaterThan(0);
    for (const m of groupRows) for (const n of names) if (n.length >= 2 && !staff.has(n)) expect(m.text).not.toContain(n);
  });
});
