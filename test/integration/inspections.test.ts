/**
 * Inspections through the router: the county draws (nobody else can, nothing reaches a group, the towns get only the
 * commitment), records findings against the day's records, the school gets a 整改 notice and answers it, the second failure
 * in a school year gives the school a 黄牌 the county is told about and the third is sent to the county for
 * accountability. Findings reach the monthly form remarks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { DrawPayload } from '../../src/domain/inspection-draw.js';
import { verifyStored } from '../../src/services/inspection-draw.js';
import { inspectionSummary } from '../../src/services/inspection-results.js';
import { monthlyReportModel } from '../../src/reports/monthly-model.js';

let app: TestApp;
let county: string;
let otherCounty: string[];
let principalOf: (schoolId: number) => Promise<string[]>;
let townOf: (schoolId: number) => Promise<string[]>;

const say = async (who: string, chat: string, text: string) => (await app.session.say(who, chat, text)).delivered;
const at = (date: string, time = '10:00') => app.clock.set(new Date(`${date}T${time}:00+08:00`));
const payload = async (quarter: string) => JSON.parse((await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter } })).payload) as DrawPayload;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T09:00:00+08:00' });
  const db = app.deps.db;
  const officials = await db.person.findMany({ where: { role: 'county' }, orderBy: { id: 'asc' } });
  county = officials[0]!.staffId;
  otherCounty = officials.slice(1).map((p) => p.staffId);
  principalOf = async (schoolId) => (await db.person.findMany({ where: { role: 'principal', schoolId } })).map((p) => p.staffId);
  townOf = async (schoolId) => {
    const s = await db.school.findUniqueOrThrow({ where: { id: schoolId } });
    return (await db.person.findMany({ where: { role: 'town', townId: s.townId } })).map((p) => p.staffId);
  };
});
afterAll(async () => app?.close());

describe('抽查: the draw', () => {
  it('a principal and a town official are refused, and nothing is drawn', async () => {
    const principal = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal' } });
    const town = await app.deps.db.person.findFirstOrThrow({ where: { role: 'town' } });
    for (const p of [principal, town]) {
      const out = await say(p.staffId, 'dm', '抽查 2026Q4');
      expect(out.map((d) => d.text).join()).toContain('「抽查」只有县教育局可以使用');
    }
    expect(await app.deps.db.inspectionDraw.count()).toBe(0);
  });

  it('in a group it is refused by DM and the group learns nothing of a draw', async () => {
    const out = await say(county, '县局工作群', '抽查 2026Q4');
    expect(await app.deps.db.inspectionDraw.count()).toBe(0);
    expect(out.filter((d) => d.chat !== 'dm').every((d) => !/抽中|承诺值/.test(d.text))).toBe(true);
    expect(out.some((d) => d.chat === 'dm' && d.text.includes('只能在私聊中使用'))).toBe(true);
  });

  it('the county draws in a DM: it sees the draw, the towns get only the commitment, no group hears of it', async () => {
    const out = await say(county, 'dm', '抽查 2026Q4 3所 每校2班');
    const reply = out.find((d) => d.to === county)!;
    const p = await payload('2026Q4');
    expect(p.draw).toHaveLength(3);
    for (const s of p.draw) {
      expect(reply.text).toContain(`${s.date} ${s.schoolName}：${s.classes.map((c) => c.className).join('、')}`);
      expect(s.date > '2026-11-20' && s.date <= '2026-12-31').toBe(true);
      expect(app.deps.calendar.isSchoolDay(s.date)).toBe(true);
    }
    const row = await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } });
    expect(verifyStored(row)).toEqual([]);
    const towns = (await app.deps.db.person.findMany({ where: { role: 'town' } })).map((t) => t.staffId).sort();
    const toTowns = out.filter((d) => d.chat === 'dm' && towns.includes(d.to));
    expect(toTowns.map((d) => d.to).sort()).toEqual(towns);
    for (const d of toTowns) {
      expect(d.text).toContain(row.commitment);
      for (const s of p.draw) expect(d.text).not.toContain(s.schoolName);
      expect(d.text).not.toContain(row.seed);
    }
    // Only the drawing official and the towns heard anything; other county officials see it when they ask.
    expect(out.every((d) => d.chat === 'dm' && (d.to === county || towns.includes(d.to)))).toBe(true);
    const groups = await app.deps.db.outbox.findMany({ where: { chatRef: { contains: ':group:' } } });
    expect(groups.filter((g) => /抽中|承诺值|抽查/.test(g.text))).toEqual([]);
  });

  it('drawing again shows the same draw and does not redraw', async () => {
    const before = await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } });
    const out = await say(otherCounty[0] ?? county, 'dm', '抽查 2026Q4');
    expect(out[0]!.text).toContain('已经抽过签');
    expect(out[0]!.text).toContain(before.commitment);
    expect(await app.deps.db.inspectionDraw.findMany()).toEqual([before]);
  });

  it('bad input is refused with an example and draws nothing', async () => {
    for (const text of ['抽查 2026Q7', '抽查 明天', '抽查 2026Q1']) {
      const out = await say(county, 'dm', text);
      expect(out[0]!.text).toContain('正确示例：抽查 2026Q4');
    }
    expect(await app.deps.db.inspectionDraw.count()).toBe(1);
  });
});

describe('抽查记录: findings against the day’s records', () => {
  it('lists the discrepancies with names to the inspector and the principal only; a close count passes', async () => {
    const p = await payload('2026Q4');
    const visit = p.draw.find((x) => x.classes.length >= 2)!;
    const [taken, other] = visit.classes;
    at(visit.date, '08:00');
    const db = app.deps.db;
    const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: taken!.classId } });
    const pupils = await db.student.findMany({ where: { classId: taken!.classId, status: 'enrolled' }, orderBy: { id: 'asc' } });
    const unique = pupils.filter((x) => pupils.filter((y) => y.name === x.name).length === 1);
    const [marked, missed] = unique as [(typeof pupils)[number], (typeof pupils)[number]];
    await say(teacher.staffId, 'dm', `缺勤 ${marked.name} 病假`);
    at(visit.date, '10:00');
    // The inspector finds the marked pupil and one more absent: one unmarked absence is within the tolerance.
    const out = await say(county, 'dm', `抽查记录 ${visit.schoolName}${taken!.className} 实到${pupils.length - 2} 缺勤 ${marked.name} ${missed.name}`);
    const mine = out.find((d) => d.to === county)!;
    expect(mine.text).toContain(`抽查实到 ${pupils.length - 2}，机器人当天记录实到 ${pupils.length - 1}`);
    expect(mine.text).toContain(`抽查时缺勤、但当天未记录缺勤：${missed.name}`);
    expect(mine.text).toContain('结论：合格');
    const principals = await principalOf(visit.schoolId);
    const names = [marked.name, missed.name];
    for (const d of out) {
      const mayName = d.chat === 'dm' && (d.to === county || principals.includes(d.to));
      if (!mayName) for (const n of names) expect(d.text).not.toContain(n);
    }
    expect(
      out
        .filter((d) => principals.includes(d.to))
        .map((d) => d.text)
        .join(),
    ).toContain(missed.name);
    expect(await db.rectification.count()).toBe(0);
    void other;
  });

  it('a class that did not take attendance fails: a 整改 notice to the principal and the town', async () => {
    const p = await payload('2026Q4');
    const visit = p.draw.find((x) => x.classes.length >= 2)!;
    const other = visit.classes[1]!;
    const db = app.deps.db;
    const enrolled = await db.student.count({ where: { classId: other.classId, status: 'enrolled' } });
    const out = await say(county, 'dm', `抽查记录 ${other.className} 实到${enrolled}`);
    const rect = await db.rectification.findFirstOrThrow();
    expect(rect).toMatchObject({ schoolId: visit.schoolId, strike: 1, date: visit.date });
    expect(app.deps.calendar.schoolDaysBetween(app.deps.calendar.nextSchoolDay(visit.date)!, rect.deadline)).toHaveLength(10);
    expect(out.find((d) => d.to === county)!.text).toContain('当天未点名');
    const principals = await principalOf(visit.schoolId);
    const toPrincipal = out.filter((d) => principals.includes(d.to));
    expect(toPrincipal.map((d) => d.text).join()).toContain(`整改完成 ${rect.id}`);
    const towns = await townOf(visit.schoolId);
    const toTown = out.filter((d) => towns.includes(d.to));
    expect(toTown).toHaveLength(towns.length);
    expect(toTown[0]!.text).toContain(`整改通知 #${rect.id}`);
    expect(out.every((d) => d.chat === 'dm')).toBe(true);
  });

  it('a class not drawn, an unknown name, or a wrong format is refused and records nothing', async () => {
    const before = await app.deps.db.inspectionFinding.count();
    const p = await payload('2026Q4');
    const drawn = new Set(p.draw.flatMap((s) => s.classes.map((c) => c.classId)));
    const notDrawn = await app.deps.db.schoolClass.findFirstOrThrow({ where: { id: { notIn: [...drawn] } }, include: { school: true } });
    for (const text of [
      `抽查记录 ${notDrawn.school.name}${notDrawn.name} 实到30`,
      `抽查记录 ${p.draw[0]!.schoolName}${p.draw[0]!.classes[0]!.className} 实到30 缺勤 查无此人`,
      '抽查记录 三(2)班 三十人',
    ]) {
      const out = await say(county, 'dm', text);
      expect(out[0]!.text).toContain('正确示例：抽查记录');
    }
    expect(await app.deps.db.inspectionFinding.count()).toBe(before);
  });

  it('the principal answers 整改完成: the town and the county are told; only the school’s own principal may', async () => {
    const rect = await app.deps.db.rectification.findFirstOrThrow();
    const otherPrincipal = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: { not: rect.schoolId } } });
    expect((await say(otherPrincipal.staffId, 'dm', `整改完成 ${rect.id} 已整改`))[0]!.text).toContain('不是发给贵校的');
    const [principal] = await principalOf(rect.schoolId);
    expect((await say(principal!, 'dm', `整改完成 ${rect.id}`))[0]!.text).toContain('请写上整改说明');
    const out = await say(principal!, 'dm', `整改完成 ${rect.id} 已补齐当天考勤，班主任每日点名`);
    expect(out.find((d) => d.to === principal)!.text).toContain('整改完成');
    const towns = await townOf(rect.schoolId);
    expect(out.filter((d) => towns.includes(d.to) || d.to === county).length).toBeGreaterThanOrEqual(towns.length + 1);
    expect((await app.deps.db.rectification.findUniqueOrThrow({ where: { id: rect.id } })).completionNote).toContain('每日点名');
    expect((await say(principal!, 'dm', `整改完成 ${rect.id} 再报一次`))[0]!.text).toContain('已经报告过');
  });

  it('the findings appear in the school’s monthly form remarks, without names', async () => {
    const rect = await app.deps.db.rectification.findFirstOrThrow();
    const month = rect.date.slice(0, 7);
    const m = await monthlyReportModel(app.deps, app.deps.db, rect.schoolId, month, rect.date);
    expect(m.remarks!.filter((l) => l.includes('县抽查'))).toHaveLength(2);
    expect(m.remarks!.join()).toContain(`整改通知 #${rect.id}`);
    expect(m.remarks!.join()).toContain('已完成');
  });
});

describe('repeated failed inspections in a school year (seed 004: 2nd → 黄牌 and 通报, 3rd → 追究责任)', () => {
  it('the second gives the school a 黄牌 the county is told about; the third goes to the county for accountability', async () => {
    const first = await app.deps.db.rectification.findFirstOrThrow();
    const schoolId = first.schoolId;
    at('2026-11-21', '09:00');
    for (const q of ['2027Q1', '2027Q2']) await say(county, 'dm', `抽查 ${q} 99所 每校1班`);
    const replies: Awaited<ReturnType<typeof say>>[] = [];
    for (const q of ['2027Q1', '2027Q2']) {
      const visit = (await payload(q)).draw.find((s) => s.schoolId === schoolId)!;
      at(visit.date);
      const cls = visit.classes[0]!;
      replies.push(await say(county, 'dm', `抽查记录 ${visit.schoolName}${cls.className} 实到0`));
    }
    const rects = await app.deps.db.rectification.findMany({ where: { schoolId }, orderBy: { id: 'asc' } });
    expect(rects.map((r) => r.strike)).toEqual([1, 2, 3]);
    expect(await app.deps.db.schoolYellowCard.findMany({ where: { schoolId } })).toHaveLength(1);
    const counties = (await app.deps.db.person.findMany({ where: { role: 'county' } })).map((p) => p.staffId);
    const [second, third] = replies as [Awaited<ReturnType<typeof say>>, Awaited<ReturnType<typeof say>>];
    for (const c of counties) expect(second.some((d) => d.to === c && d.text.includes('🟨 黄牌'))).toBe(true);
    expect(third.some((d) => d.text.includes('🟨 黄牌'))).toBe(false);
    for (const c of counties) expect(third.some((d) => d.to === c && d.text.includes('追究责任人责任'))).toBe(true);
    const summary = (await inspectionSummary(app.deps.db, '2026')).get(schoolId)!;
    expect(summary).toMatchObject({ failures: 3, yellowCard: true, inspections: 3 });
    const list = await say(county, 'dm', '抽查 结果 2026');
    expect(list[0]!.text).toMatch(/不合格 3 次.*🟨 黄牌/);
  });
});

describe('抽查公开', () => {
  it('reveals seed and draw to the towns and county once; the stored draw still verifies', async () => {
    at('2026-12-31', '12:00');
    const row = await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } });
    const out = await say(county, 'dm', '抽查公开 2026Q4');
    const towns = (await app.deps.db.person.findMany({ where: { role: 'town' } })).map((t) => t.staffId);
    for (const t of towns) expect(out.find((d) => d.to === t)!.text).toContain(row.seed);
    expect((await say(county, 'dm', '抽查公开 2026Q4'))[0]!.text).toContain('已经公开过');
    expect(verifyStored(await app.deps.db.inspectionDraw.findUniqueOrThrow({ where: { quarter: '2026Q4' } }), row.commitment)).toEqual([]);
  });
});

describe('any text after 抽查 / 抽查记录 / 整改完成 (property)', () => {
  it('is answered in Chinese, never fails, and never adds a second draw for a quarter', async () => {
    const fc = (await import('fast-check')).default;
    const principal = await app.deps.db.person.findFirstOrThrow({ where: { role: 'principal' } });
    const draws = await app.deps.db.inspectionDraw.count();
    const findings = await app.deps.db.inspectionFinding.count();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('抽查', '抽查记录', '整改完成', '抽查公开', '过错记录'),
        fc.string({ maxLength: 30, unit: fc.constantFrom(...'2026Q4 所每校班实到缺勤三(2)#1、，结果学年\u00a0x'.split('')) }),
        async (word, rest) => {
          const who = word === '整改完成' ? principal.staffId : county;
          const { result, delivered } = await app.session.say(who, 'dm', `${word} ${rest}`);
          expect(result?.handled).not.toBe('failed');
          expect(delivered.length).toBeGreaterThan(0);
          for (const d of delivered) expect(d.text).toMatch(/[\u4e00-\u9fff]/);
        },
      ),
      { numRuns: 60 },
    );
    // Quarters already drawn stay as they were; new quarters may be drawn at most once each.
    const rows = await app.deps.db.inspectionDraw.findMany();
    expect(new Set(rows.map((r) => r.quarter)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(draws);
    expect(await app.deps.db.inspectionFinding.count()).toBeGreaterThanOrEqual(findings);
  });
});
