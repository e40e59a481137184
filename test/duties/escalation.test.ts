/**
 * The two-day alert climbs when no home visit is logged: town after the visit delay, county after as long again.
 * Acknowledging stops reminders, not the climb. A policy change does not rewrite alerts already running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, play, runnerFor, type Events } from '../helpers/duty-sim.js';
import { createDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConsoleSession } from '../../src/console/session.js';

let app: TestApp;
let teacher: { staffId: string };
let town: string[];
let county: string[];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-16T07:00:00+08:00' });
  const db = app.deps.db;
  const t = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  teacher = t;
  const pupils = await db.student.findMany({ where: { classId: t.classId! }, include: { village: true }, orderBy: { id: 'asc' } });
  const s = pupils.find((x) => pupils.filter((y) => y.name === x.name).length === 1)!;
  town = (await db.person.findMany({ where: { role: 'town', townId: s.village.townId } })).map((p) => p.staffId);
  county = (await db.person.findMany({ where: { role: 'county' } })).map((p) => p.staffId);
  const say = (text: string) => async () => void (await app.session.say(t.staffId, 'dm', text));
  // Mon and Tue unexcused; the teacher acknowledges each alert within the hour; nobody logs a visit.
  await play(
    app,
    runnerFor(app),
    '2026-11-16 07:00',
    '2026-11-17 12:00',
    new Map([
      ['11-16 09:00', say(`缺勤 ${s.name} 旷课`)],
      ['11-16 10:00', say('收到 1')],
      ['11-17 09:00', say(`缺勤 ${s.name} 旷课`)],
      ['11-17 09:30', say('收到 2')],
    ]) as Events,
  );
  // The county changes the policy to 2 hours: a new process with the new config. The running alert keeps 24 h.
  await app.deps.db.$disconnect();
  const config = loadConfig({ DATABASE_URL: app.deps.config.DATABASE_URL, HOME_VISIT_WITHIN_HOURS: '2' });
  const deps = await createDeps(config, app.clock);
  const session = new ConsoleSession(deps);
  await session.start();
  app = { ...app, deps, session };
  await play(app, runnerFor(app), '2026-11-17 12:00', '2026-11-20 12:00');
}, 120_000);
afterAll(async () => app?.close());

describe('escalation of a two-day alert without a home visit', () => {
  it('climbs to the town 24 h after the alert (the delay in force when it was raised), then to the county 24 h later', async () => {
    const esc = (await dutyMessages(app.deps.db)).filter((m) => m.kind === 'alert_escalation');
    expect(esc).toEqual([
      ...town.map((to) => ({ at: '11-18 09:00', kind: 'alert_escalation', to })),
      ...county.map((to) => ({ at: '11-19 09:00', kind: 'alert_escalation', to })),
    ]);
    const a = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    expect(a.escalation).toBe('county');
  });

  it('the teacher who acknowledged got no reminder', async () => {
    expect((await dutyMessages(app.deps.db)).filter((m) => m.kind === 'alert_reminder' && m.to === teacher.staffId)).toEqual([]);
  });

  it('officials it climbed to can acknowledge it like anyone alerted', async () => {
    const out = await app.session.say(county[0]!, 'dm', '收到 2');
    expect(out.delivered[0]!.text).toContain('已确认收到预警 #2');
  });
});
