/**
 * Group chats hold parents. Every command in the registry, with realistic arguments naming real students (by name and
 * by 学籍号 tail), is sent into a bound class group as every role; afterwards no group-bound outbox message carries a
 * student's or a guardian's name. Refusals reach the sender by DM with their detail; the group gets a neutral line.
 * The first time a student is named in a group, the group is told once to report such things by DM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { COMMANDS } from '../../src/core/commands/index.js';
import { DETAIL_SENT_PRIVATELY, PRIVACY_HINT } from '../../src/core/group-privacy.js';
import { ROLES, type Role } from '../../src/domain/types.js';

const GROUP = '一(1)班家长群';
let app: TestApp;
let privateNames: string[];
const sender = new Map<Role, string>();
let named: { name: string; tail: string }[];
let dropped: { name: string; tail: string };
let sick: { name: string; tail: string };

/** Arguments people really send with each command; every command also gets none and its own example. */
function argumentsFor(id: string): string[] {
  const [a, b] = named as [{ name: string; tail: string }, { name: string; tail: string }];
  const byId: Record<string, string[]> = {
    absent: [`${a.name} 旷课`, `${b.tail} 病假`, `${a.name} 病假 ${b.name}`, `${dropped.name} 旷课`, `${dropped.tail}`, '查无此人 旷课'],
    all_present: ['11-19', '明天'],
    correct: [`${sick.name} 病假 11-19`, `${a.tail} 到校`, `${dropped.name} 到校`],
    returned: [a.name, dropped.tail, `${a.name} ${b.name}`],
    count: ['应到45 实到44 病假1', '应到45 实到50'],
    visit: [`${a.name} 厌学 愿意返校 已与父亲谈话`, `${b.tail} 贫困 拒绝`],
    confirm_dropout: [a.name, dropped.tail],
    issue_notice: [`${a.name} 12-10`, `${dropped.name} 12-10`],
    transferred_out: [a.name, b.tail, `${a.name} 青石镇九年一贯制学校`, `${b.tail} 县外 贵阳市第一小学`, `${dropped.name} 柳河镇初级中学`],
    approve_transfer: ['1', '2'],
    refuse_transfer: ['1 学位已满'],
    receive_transfer: [`${b.tail} 三(1)班`, a.name],
    transfer_receipt: [`${b.tail} 已接收`],
    transfer_list: [''],
    suspended: [dropped.name],
    borrowing: [b.name],
    ack: ['1', '12、13', '#2'],
    confirm_report: ['2026-11', '2026-12'],
    report_form: ['2026-11', '2026-08'],
    report_status: ['2026-11'],
    roster: ['表格', 'csv'],
    cases: [a.name],
    bind_class: ['一(1)班', '二(1)班'],
  };
  return ['', ...(byId[id] ?? [])];
}

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T09:00:00+08:00' });
  const db = app.deps.db;
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const cls = await db.schoolClass.findUniqueOrThrow({ where: { id: teacher.classId! } });
  const staffNames = new Set((await db.person.findMany()).map((p) => p.name));
  const students = await db.student.findMany({ orderBy: { id: 'asc' } });
  // A name shared with a member of staff may rightly appear in a group (help, 我是谁): those are not scanned, nor used.
  privateNames = [...new Set(students.flatMap((s) => [s.name, s.guardian ?? '']))].filter((n) => n.length >= 2 && !staffNames.has(n));
  const usable = students.filter((s) => s.classId === cls.id && privateNames.includes(s.name) && students.filter((t) => t.name === s.name).length === 1);
  const pick = (i: number) => ({ name: usable[i]!.name, tail: usable[i]!.studentNo.slice(-6) });
  named = [pick(0), pick(1)];
  dropped = pick(2);
  sick = pick(3);
  await db.student.update({ where: { id: usable[2]!.id }, data: { status: 'dropped_out' } });
  const firstOf = async (role: Role, where: object) => (await db.person.findFirstOrThrow({ where: { role, ...where }, orderBy: { id: 'asc' } })).staffId;
  sender.set('class_teacher', teacher.staffId);
  sender.set('subject_teacher', await firstOf('subject_teacher', { classId: cls.id }));
  sender.set('principal', await firstOf('principal', { schoolId: cls.schoolId }));
  sender.set('village', await firstOf('village', { villageId: usable[0]!.villageId }));
  sender.set('town', await firstOf('town', {}));
  sender.set('county', await firstOf('county', {}));
  expect([...sender.keys()].sort()).toEqual([...ROLES].sort());
  expect((await app.session.say(teacher.staffId, GROUP, '绑定班级')).result?.handled).toBe('command');
  // Sick leave on Thursday, recorded by DM: correcting it to sick leave again is refused ("本来就是病假").
  expect((await app.session.say(teacher.staffId, 'dm', `缺勤 ${sick.name} 病假 11-19`)).result?.handled).toBe('command');
});
afterAll(async () => app?.close());

async function groupOutbox() {
  const rows = await app.deps.db.outbox.findMany({ orderBy: { id: 'asc' } });
  return rows.filter((r) => !r.chatRef.includes(':dm:'));
}

describe('every command × every role into a bound class group', () => {
  it('no group-bound message names a student or a guardian; refusals reach the sender by DM', async () => {
    let refusals = 0;
    let sent = 0;
    for (const def of COMMANDS) {
      const variants = [
        ...argumentsFor(def.id),
        def.example
          .replace(/^\S+\s*/, '')
          .replaceAll('张三', named[0]!.name)
          .replaceAll('李四', named[1]!.name),
      ];
      for (const role of ROLES) {
        for (const args of new Set(variants)) {
          const who = sender.get(role)!;
          const { result, delivered } = await app.session.say(who, GROUP, `${def.words[0]} ${args}`.trim());
          sent++;
          expect(result?.handled, `${role}: ${def.words[0]} ${args}`).not.toBe('failed');
          if (result?.handled === 'refused') {
            refusals++;
            expect(delivered.filter((d) => d.chat === GROUP).map((d) => d.text.split('\n')[0])).toEqual([DETAIL_SENT_PRIVATELY]);
            expect(delivered.some((d) => d.chat === 'dm' && d.to === who && d.text.includes('关于您刚才在群里发的消息'))).toBe(true);
          }
        }
      }
    }
    const leaks = (await groupOutbox()).flatMap((m) => privateNames.filter((n) => m.text.includes(n)).map((n) => `${n} in "${m.text}"`));
    expect(leaks).toEqual([]);
    expect(sent).toBeGreaterThan(COMMANDS.length * ROLES.length);
    expect(refusals).toBeGreaterThan(50);
  }, 180_000);

  it('the refusals the issue found in parents’ groups now reach only the teacher', async () => {
    const teacher = sender.get('class_teacher')!;
    const onRoster = await app.session.say(teacher, GROUP, `缺勤 ${dropped.tail} 旷课`);
    expect(onRoster.delivered.find((d) => d.chat === 'dm' && d.to === teacher)?.text).toContain(`${dropped.name}已确认辍学`);
    const already = await app.session.say(teacher, GROUP, `更正 ${sick.name} 病假 11-19`);
    expect(already.delivered.find((d) => d.chat === 'dm' && d.to === teacher)?.text).toContain(`${sick.name} 11月19日本来就是病假`);
    for (const d of [...onRoster.delivered, ...already.delivered].filter((x) => x.chat === GROUP)) {
      expect(d.text).not.toContain(dropped.name);
      expect(d.text).not.toContain(sick.name);
    }
  });
});

describe('the privacy hint: once per group', () => {
  it('was given exactly once in the class group, however often students were named there', async () => {
    const hints = (await groupOutbox()).filter((m) => m.text.includes(PRIVACY_HINT));
    expect(hints).toHaveLength(1);
  });

  it('comes with the first named absence in a new group, appended to the reply, and never again', async () => {
    const teacher = sender.get('class_teacher')!;
    const first = await app.session.say(teacher, '一(1)班老师群', `缺勤 ${named[0]!.name} 病假`);
    const inGroup = first.delivered.filter((d) => d.chat === '一(1)班老师群');
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]!.text).toContain('已记录');
    expect(inGroup[0]!.text).toContain(PRIVACY_HINT);
    const again = await app.session.say(teacher, '一(1)班老师群', `更正 ${named[0]!.name} 事假`);
    expect(again.delivered.some((d) => d.text.includes(PRIVACY_HINT))).toBe(false);
  });

  it('comes whoever names a student and whatever the command, even one refused there', async () => {
    const out = await app.session.say(sender.get('principal')!, '全校家长群', `家访 ${named[1]!.name} 厌学 愿意返校`);
    expect(out.result?.handled).toBe('refused');
    const inGroup = out.delivered.filter((d) => d.chat === '全校家长群');
    expect(inGroup.map((d) => d.text)).toEqual([`${DETAIL_SENT_PRIVATELY}\n\n${PRIVACY_HINT}`]);
  });

  it('is not given for a 学籍号 tail alone, nor in a direct chat', async () => {
    const teacher = sender.get('class_teacher')!;
    const byTail = await app.session.say(teacher, '另一个群', `更正 ${named[1]!.tail} 病假`);
    expect(byTail.delivered.some((d) => d.text.includes(PRIVACY_HINT))).toBe(false);
    const dm = await app.session.say(teacher, 'dm', `更正 ${named[1]!.name} 事假`);
    expect(dm.delivered.some((d) => d.text.includes(PRIVACY_HINT))).toBe(false);
  });
});
