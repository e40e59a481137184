/**
 * Start of term with a left-behind pupil who has a 包保 person (the class's subject teacher), absent Tue and Wed:
 * the return check lists the pupil with their 重点关注 kind; the reminder, the escalation digest and the campaign
 * digest carry the tag and reach the 包保 person; nothing goes to a group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, play, runnerFor, type Events } from '../helpers/duty-sim.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };
let subject: { id: number; staffId: string };
let student: { id: number; name: string };
const TAG = '【重点关注：留守儿童】';

const textsTo = async (kind: string, staffId: string) =>
  (await app.deps.db.outbox.findMany({ where: { kind, chatRef: `console:dm:${staffId}` }, orderBy: { id: 'asc' } })).map((m) => m.text);

beforeAll(async () => {
  app = await makeApp({ now: '2026-08-31T12:00:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  const pupils = await db.student.findMany({ where: { classId: teacher.classId! }, include: { class: true }, orderBy: { id: 'asc' } });
  const s = pupils.find((x) => pupils.filter((y) => y.name === x.name).length === 1)!;
  student = s;
  await db.student.updateMany({ where: { classId: teacher.classId! }, data: { attention: '' } });
  await db.student.update({ where: { id: s.id }, data: { attention: 'left_behind' } });
  subject = await db.person.findFirstOrThrow({ where: { role: 'subject_teacher', classId: teacher.classId } });
  const principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: s.class.schoolId } });
  const named = await app.session.say(principal.staffId, 'dm', `包保 ${s.name} ${subject.staffId}`);
  expect(named.delivered.map((d) => d.text).join('\n')).toContain('已指定');
  const absent = async () => void (await app.session.say(teacher.staffId, 'dm', `缺勤 ${s.name} 旷课`));
  const ev: Events = new Map([
    ['09-01 10:00', absent],
    ['09-02 10:00', absent],
  ]);
  await play(app, runnerFor(app), '2026-08-31 12:00', '2026-09-07 12:00', ev);
}, 180_000);
afterAll(async () => app?.close());

describe('重点关注 and 包保 in the duties', () => {
  it('the return check lists the class and, to check first, the pupil with their kind', async () => {
    const [check] = await textsTo('duty:return_check', teacher.staffId);
    expect(check).toContain('开学返校核查');
    expect(check).toContain(`其中重点关注学生 1 人，请优先核对：${student.name}${TAG}`);
  });

  it('the 包保 person gets the alerts and the reminder, tagged', async () => {
    const alerts = await textsTo('alert', subject.staffId);
    expect(alerts.some((t) => t.includes('缺勤提醒') && t.includes(student.name) && t.includes(TAG))).toBe(true);
    const reminders = await textsTo('alert_reminder', subject.staffId);
    expect(reminders.length).toBeGreaterThan(0);
    expect(reminders[0]).toContain(`${student.name}`);
    expect(reminders[0]).toContain(TAG);
  });

  it('the escalation digest to the town reaches the 包保 person too, tagged', async () => {
    const escalations = await textsTo('alert_escalation', subject.staffId);
    expect(escalations.length).toBeGreaterThan(0);
    expect(escalations[0]).toContain('预警升级到镇');
    expect(escalations[0]).toContain(TAG);
    const townOfficials = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'alert_escalation').map((m) => m.to);
    expect(townOfficials).toContain(subject.staffId);
  });

  it('the campaign digest reaches the 包保 person, with the tag', async () => {
    const [digest] = await textsTo('duty:campaign_digest', subject.staffId);
    expect(digest).toContain(student.name);
    expect(digest).toContain(TAG);
  });

  it('nothing went to a group chat', async () => {
    expect((await dutyMessages(app.deps.db)).filter((m) => !/^T\d+$/.test(m.to))).toEqual([]);
  });
});
