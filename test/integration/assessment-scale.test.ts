/**
 * The annual assessment of a county of 5,000 pupils with a 1,200-pupil school (past SQLite's 999 bound values): every
 * school's dropout rate per stage equals the one computed from what was written (roll now, the year's confirms and
 * returns), alerts that climbed are counted by school, towns sum their schools; both files are built. Time printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { buildBigCounty, type GeneratedCounty } from '../helpers/big-county.js';
import { assessmentModel } from '../../src/services/assessment.js';
import { assessmentXlsx } from '../../src/reports/assessment.xlsx.js';
import { assessmentPdf } from '../../src/reports/assessment.pdf.js';
import type { AssessmentModel } from '../../src/reports/assessment-model.js';

const TODAY = '2026-11-20';
let app: TestApp;
let county: GeneratedCounty;
let model: AssessmentModel;
let ms = 0;
const escalated = new Map<number, { town: number; county: number }>();

beforeAll(async () => {
  app = await makeApp({ now: `${TODAY}T16:00:00+08:00`, demo: false });
  const days = app.deps.calendar.schoolDaysBetween('2026-09-01', TODAY);
  county = await buildBigCounty(app.deps.db, { students: 5000, bigSchool: 1200, schoolDays: days, now: app.clock.now(), seed: 11 });
  // Every third alert climbed: to the county (odd ids) or the town (even ids), in this school year.
  const classOf = new Map(county.student.map((s) => [s.id, s.classId as number]));
  const schoolOf = new Map(county.schoolClass.map((c) => [c.id, c.schoolId as number]));
  const picked = county.alert.filter((a) => a.id % 3 === 0);
  for (const a of picked) {
    const level = a.id % 2 ? 'county' : 'town';
    await app.deps.db.alert.update({ where: { id: a.id }, data: { escalation: level, escalatedAt: new Date(`${TODAY}T09:00:00+08:00`) } });
    const sid = schoolOf.get(classOf.get(a.studentId as number)!)!;
    const e = escalated.get(sid) ?? { town: 0, county: 0 };
    e.town++;
    if (level === 'county') e.county++;
    escalated.set(sid, e);
  }
  const t0 = performance.now();
  model = await assessmentModel(app.deps, app.deps.db, 2026, TODAY);
  ms = performance.now() - t0;
}, 180_000);
afterAll(async () => app?.close());

describe('the assessment of a 5,000-pupil county', () => {
  it('each school’s dropout rate per stage is the one computed from the written rows', () => {
    console.log(`assessment model, 5,000 pupils, ${model.schools.length} schools: ${ms.toFixed(0)} ms`);
    const classes = new Map(county.schoolClass.map((c) => [c.id, { schoolId: c.schoolId as number, stage: c.stage as string }]));
    const caseStudent = new Map(county.dropoutCase.map((d) => [d.id, d.studentId as number]));
    const studentClass = new Map(county.student.map((s) => [s.id, s.classId as number]));
    const key = (classId: number) => `${classes.get(classId)!.schoolId}:${classes.get(classId)!.stage}`;
    const exp = new Map<string, { current: number; dropped: number; returned: number }>();
    const of = (k: string) => exp.get(k) ?? exp.set(k, { current: 0, dropped: 0, returned: 0 }).get(k)!;
    for (const c of county.schoolClass) of(key(c.id));
    for (const s of county.student) if (s.status === 'enrolled') of(key(s.classId as number)).current++;
    for (const e of county.caseEvent) {
      const k = key(studentClass.get(caseStudent.get(e.caseId as number)!)!);
      if (e.type === 'confirm') of(k).dropped++;
      if (e.type === 'return') of(k).returned++;
    }
    expect(model.schools).toHaveLength(county.school.length);
    let withDropouts = 0;
    for (const s of model.schools) {
      for (const [stage, figure] of [
        ['primary', 'primaryDropout'],
        ['junior', 'juniorDropout'],
      ] as const) {
        const e = exp.get(`${s.id}:${stage}`);
        if (!e) {
          expect(s.rates[figure]).toBeUndefined();
          continue;
        }
        const net = Math.max(0, e.dropped - e.returned);
        if (net > 0) withDropouts++;
        expect(s.rates[figure], `${s.name} ${stage}`).toMatchObject({ num: net, den: e.current + net });
      }
    }
    expect(withDropouts).toBeGreaterThan(3);
    const big = model.schools.find((s) => s.id === 1)!;
    const den =
      (big.rates.primaryDropout && 'den' in big.rates.primaryDropout ? big.rates.primaryDropout.den : 0) +
      (big.rates.juniorDropout && 'den' in big.rates.juniorDropout ? big.rates.juniorDropout.den : 0);
    expect(den).toBeGreaterThan(1150);
  });

  it('escalations by school, and towns summing their schools', () => {
    expect(escalated.size).toBeGreaterThan(2);
    for (const s of model.schools)
      expect([s.escalatedTown, s.escalatedCounty], s.name).toEqual([escalated.get(s.id)?.town ?? 0, escalated.get(s.id)?.county ?? 0]);
    for (const t of model.towns.filter((x) => x.kind === 'town')) {
      const mine = model.schools.filter((s) => s.townName === t.name);
      expect(t.escalatedCounty).toBe(mine.reduce((n, s) => n + s.escalatedCounty, 0));
    }
    expect(model.towns.at(-1)!.escalatedTown).toBe([...escalated.values()].reduce((n, e) => n + e.town, 0));
  });

  it('both files are built', async () => {
    expect((await assessmentXlsx(model)).length).toBeGreaterThan(5000);
    expect((await assessmentPdf(model)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
