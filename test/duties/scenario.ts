/**
 * November 2026 in the demo county, as the duties should see it. Facts only — the expected messages are derived
 * from these facts here, independently of the duty code.
 *
 * Groups: the first class of each school binds its class group. Class A answers the weekly count every Friday at
 * 15:30, class B only in the first week, class C never, and C's teacher forgets attendance on Wednesdays; every
 * other class takes attendance at 08:00 each school day but reports no weekly count.
 * Student S (class D): unexcused Mon 2, Tue 3, Wed 4; the class teacher acknowledges at once, the principal and the
 * village cadre never do; the cadre logs a home visit on Wed 4 at 14:00; S is back on Thu 5.
 * Monthly report: school 1 confirms on the 20th, school 3 on the 23rd, school 2 never; 青石镇 confirms on the 24th.
 */
import { markClassTaken } from '../../src/store/attendance.repository.js';
import type { TestApp } from '../helpers/app.js';
import { local, type Events, type Sent } from '../helpers/duty-sim.js';

export interface Cast {
  groups: { classId: number; teacher: string; chat: string }[]; // A, B, C
  teacherOf: Map<number, string>;
  principalOf: Map<number, string>; // schoolId → staffId
  schools: { id: number; townId: number; name: string }[];
  D: { classId: number; teacher: string };
  S: { id: number; name: string; cadre: string; principal: string; town: string[] };
  townOfficials: Map<number, string[]>;
  county: string[];
  enrolledA: number;
  /** Class B's roll: its count must match the register to be recorded at once. */
  enrolledB: number;
}

export async function cast(app: TestApp): Promise<Cast> {
  const db = app.deps.db;
  const schools = await db.school.findMany({ orderBy: { id: 'asc' } });
  const classes = await db.schoolClass.findMany({ orderBy: [{ schoolId: 'asc' }, { stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }] });
  const teachers = await db.person.findMany({ where: { role: 'class_teacher' } });
  const teacherOf = new Map(teachers.map((t) => [t.classId!, t.staffId]));
  const principalOf = new Map((await db.person.findMany({ where: { role: 'principal' } })).map((p) => [p.schoolId!, p.staffId]));
  const firsts = schools.map((s) => classes.find((c) => c.schoolId === s.id)!);
  const groups = firsts.map((c, i) => ({ classId: c.id, teacher: teacherOf.get(c.id)!, chat: `班级群${'ABC'[i]}` }));
  const dClass = classes.filter((c) => c.schoolId === schools[0]!.id)[1]!;
  const pupils = await db.student.findMany({ where: { classId: dClass.id }, include: { village: true }, orderBy: { id: 'asc' } });
  const s = pupils.find((x) => pupils.filter((y) => y.name === x.name).length === 1)!;
  const townOfficials = new Map<number, string[]>();
  for (const p of await db.person.findMany({ where: { role: 'town' }, orderBy: { id: 'asc' } }))
    townOfficials.set(p.townId!, [...(townOfficials.get(p.townId!) ?? []), p.staffId]);
  const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  const county = (await db.person.findMany({ where: { role: 'county' }, orderBy: { id: 'asc' } })).map((p) => p.staffId);
  for (const g of groups) await app.session.say(g.teacher, g.chat, '绑定班级');
  return {
    groups,
    teacherOf,
    principalOf,
    schools: schools.map((x) => ({ id: x.id, townId: x.townId, name: x.name })),
    D: { classId: dClass.id, teacher: teacherOf.get(dClass.id)! },
    S: { id: s.id, name: s.name, cadre: cadre.staffId, principal: principalOf.get(schools[0]!.id)!, town: townOfficials.get(s.village.townId)! },
    townOfficials,
    county,
    enrolledA: await db.student.count({ where: { classId: firsts[0]!.id, status: 'enrolled' } }),
    enrolledB: await db.student.count({ where: { classId: firsts[1]!.id, status: 'enrolled' } }),
  };
}

const NOV_SCHOOL_DAYS = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`).filter(
  (d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()),
);
const FRIDAYS = ['2026-11-06', '2026-11-13', '2026-11-20', '2026-11-27'];
const WEDNESDAYS = ['2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25'];

export function events(app: TestApp, c: Cast): Events {
  const say =
    (who: string, text: string, chat = 'dm') =>
    async () =>
      void (await app.session.say(who, chat, text));
  const ev: Events = new Map();
  const add = (at: string, f: () => Promise<void>) => {
    const prev = ev.get(at);
    ev.set(at, prev ? async () => (await prev(), await f()) : f);
  };
  const [A, B, C] = c.groups as [Cast['groups'][0], Cast['groups'][0], Cast['groups'][0]];
  for (const d of NOV_SCHOOL_DAYS) {
    add(`${d.slice(5)} 08:00`, async () => {
      const classes = await app.deps.db.schoolClass.findMany();
      for (const k of classes) {
        if (k.id === C.classId && WEDNESDAYS.includes(d)) continue;
        const teacher = await app.deps.db.person.findFirstOrThrow({ where: { staffId: c.teacherOf.get(k.id)! } });
        await markClassTaken(app.deps.db, k.id, d, teacher.id, 'console:group:sim', app.clock.now());
      }
    });
  }
  for (const f of FRIDAYS) add(`${f.slice(5)} 15:30`, say(A.teacher, `应到${c.enrolledA} 实到${c.enrolledA}`, A.chat));
  add('11-06 15:30', say(B.teacher, `应到${c.enrolledB} 实到${c.enrolledB}`, B.chat));
  // S: three unexcused days, then back
  add('11-02 09:00', say(c.D.teacher, `缺勤 ${c.S.name} 旷课`));
  add('11-02 10:00', say(c.D.teacher, '收到 1'));
  add('11-03 09:00', say(c.D.teacher, `缺勤 ${c.S.name} 旷课`));
  add('11-03 10:00', say(c.D.teacher, '收到 2'));
  add('11-04 09:00', say(c.D.teacher, `缺勤 ${c.S.name} 旷课`));
  add('11-04 10:00', say(c.D.teacher, '收到 3'));
  add('11-04 14:00', say(c.S.cadre, `家访 ${c.S.name} 厌学 愿意返校`));
  add('11-05 08:30', say(c.D.teacher, '今天全到'));
  // monthly reports
  const [s1, s2, s3] = c.schools as [Cast['schools'][0], Cast['schools'][0], Cast['schools'][0]];
  add('11-20 10:00', say(c.principalOf.get(s1.id)!, '确认月报 2026-11'));
  add('11-23 10:00', say(c.principalOf.get(s3.id)!, '确认月报 2026-11'));
  add('11-24 10:00', say(c.townOfficials.get(s1.townId)![0]!, '确认月报 2026-11'));
  void s2;
  return ev;
}

/** The messages the bot must send by itself in November, derived from the facts above. */
export function expected(c: Cast): Sent[] {
  const out: Sent[] = [];
  const push = (at: string, kind: string, to: string[]) => to.forEach((t) => out.push({ at, kind, to: t }));
  const [A, B, C] = c.groups as [Cast['groups'][0], Cast['groups'][0], Cast['groups'][0]];
  const allClasses = [...c.teacherOf.keys()];
  const [s1, s2, s3] = c.schools as [Cast['schools'][0], Cast['schools'][0], Cast['schools'][0]];
  const principals = (ids: number[]) => ids.map((id) => c.principalOf.get(id)!);
  const S = c.S;
  // alerts as teachers mark S (urgent, at once)
  push('11-02 09:00', 'alert', [c.D.teacher]);
  push('11-03 09:00', 'alert', [c.D.teacher, S.principal, S.cadre]);
  push('11-03 11:00', 'alert_reminder', [S.principal, S.cadre]);
  push('11-04 09:00', 'alert', [c.D.teacher, S.principal, S.cadre, ...S.town]);
  push('11-04 09:00', 'alert_escalation', S.town); // 24 h after the two-day alert, no home visit yet
  push('11-04 11:00', 'alert_reminder', [S.principal, S.cadre, ...S.town]); // one digest each, though the town official has two alerts waiting
  // S back on the 5th: everyone who got an alert is told, per alert
  push('11-05 08:30', 'alert_closed', [c.D.teacher]);
  push('11-05 08:30', 'alert_closed', [c.D.teacher, S.principal, S.cadre, ...S.town]);
  push('11-05 08:30', 'alert_closed', [c.D.teacher, S.principal, S.cadre, ...S.town]);
  for (const w of ['11-04', '11-11', '11-18', '11-25']) push(`${w} 17:00`, 'duty:attendance_reminder', [C.teacher]);
  for (const f of ['11-06', '11-13', '11-20', '11-27']) {
    push(`${f} 15:00`, 'duty:weekly_prompt', [A.chat, B.chat, C.chat]);
    const answered = new Set([A.classId, ...(f === '11-06' ? [B.classId] : [])]);
    push(
      `${f} 18:00`,
      'duty:weekly_reminder',
      allClasses.filter((k) => !answered.has(k)).map((k) => c.teacherOf.get(k)!),
    );
    push(`${f} 20:00`, 'duty:weekly_cutoff', principals([s1.id, s2.id, s3.id]));
  }
  // 20th (Fri) 09:00, the 22nd (Sunday) moved onto the same time: one reminder; 23rd 08:00 to those still open
  push('11-20 09:00', 'duty:school_report_reminder', principals([s1.id, s2.id, s3.id]));
  push('11-23 08:00', 'duty:school_report_reminder', principals([s2.id, s3.id]));
  push('11-23 17:00', 'duty:school_report_overdue', c.townOfficials.get(s2.townId)!);
  push('11-24 09:00', 'duty:town_report_reminder', [...c.townOfficials.get(s1.townId)!, ...c.townOfficials.get(s2.townId)!]);
  push('11-25 08:00', 'duty:town_report_reminder', c.townOfficials.get(s2.townId)!);
  push('11-25 17:00', 'duty:town_report_overdue', c.county);
  void local;
  return out;
}
