/** Records written through the router are sealed in the same transaction; verify names the first edit, deletion or altered entry. */
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { describeVerify, sealAll, verifyChain } from '../../src/services/audit-chain.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null };
let pupils: { studentNo: string }[];
const GROUP = '班级群';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  teacher = await app.deps.db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'asc' } });
  pupils = await app.deps.db.student.findMany({ where: { classId: teacher.classId! }, orderBy: { id: 'asc' }, take: 3 });
  await app.session.say(teacher.staffId, GROUP, '绑定班级');
});
afterAll(async () => app?.close());

const say = async (text: string, chat = 'dm') => (await app.session.say(teacher.staffId, chat, text)).delivered;
const sqlite = () => new Database(path.join(app.dir, 'test.db'));
const entries = () => app.deps.db.chainEntry.findMany({ orderBy: { id: 'asc' } });

describe('sealing', () => {
  it('a mark, a correction, a roll call and a weekly count are sealed by the message that wrote them', async () => {
    await say(`缺勤 ${pupils[0]!.studentNo} 病假`);
    await say(`更正 ${pupils[0]!.studentNo} 旷课`);
    await say('今天全到', GROUP);
    const roll = await app.deps.db.student.count({ where: { classId: teacher.classId!, status: 'enrolled' } });
    // consistent with the register and with the week's one 旷课 mark, so it is stored at once
    await say(`应到${roll} 实到${roll - 1} 旷课1`, GROUP);
    const marks = await app.deps.db.attendanceMark.findMany();
    expect(marks.length).toBeGreaterThanOrEqual(2);
    const sealed = await entries();
    for (const m of marks) expect(sealed.some((e) => e.tableName === 'AttendanceMark' && e.rowId === m.id)).toBe(true);
    expect(sealed.some((e) => e.tableName === 'WeeklyCount')).toBe(true);
    const r = await verifyChain(app.deps.db);
    expect(r.problem).toBeUndefined();
    expect(r.unsealed).toBe(0);
    expect(r.entries).toBe(sealed.length);
    expect(describeVerify(r)).toContain('记录链完整');
    // the tip copied down now must still be in the chain later; a hash never in it is reported
    expect((await verifyChain(app.deps.db, r.tip)).problem).toBeUndefined();
    const forged = await verifyChain(app.deps.db, 'e'.repeat(64));
    expect(forged.problem).toEqual({ what: 'anchor_missing', anchor: 'e'.repeat(64) });
    expect(describeVerify(forged)).toContain('被整体重写');
  });

  it('a row written outside the bot is reported as not yet sealed, then sealed by the next write', async () => {
    const db = sqlite();
    db.prepare(`INSERT INTO "AttendanceMark" ("studentId","date","status","reportedById","chatRef","recordedAt") VALUES (?,?,?,?,?,?)`).run(
      1,
      '2026-11-18',
      'sick',
      0,
      'cli',
      Date.now(),
    );
    db.close();
    expect((await verifyChain(app.deps.db)).unsealed).toBe(1);
    expect(await sealAll(app.deps.db)).toBe(1);
    expect((await verifyChain(app.deps.db)).unsealed).toBe(0);
  });
});

describe('verify names the first record changed outside the bot', () => {
  it('an edited mark', async () => {
    const [first] = (await entries()).filter((e) => e.tableName === 'AttendanceMark');
    const before = (await app.deps.db.attendanceMark.findUniqueOrThrow({ where: { id: first!.rowId } })).status;
    const db = sqlite();
    db.prepare(`UPDATE "AttendanceMark" SET "status" = 'present' WHERE "id" = ?`).run(first!.rowId);
    const r = await verifyChain(app.deps.db);
    expect(r.problem).toEqual({ what: 'edited', entryId: first!.id, table: 'AttendanceMark', rowId: first!.rowId });
    expect(describeVerify(r)).toContain(`第 ${first!.rowId} 行在机器人之外被修改`);
    // put it back: intact again
    db.prepare(`UPDATE "AttendanceMark" SET "status" = ? WHERE "id" = ?`).run(before, first!.rowId);
    db.close();
    expect((await verifyChain(app.deps.db)).problem).toBeUndefined();
  });

  it('a deleted weekly count', async () => {
    const e = (await entries()).find((x) => x.tableName === 'WeeklyCount')!;
    const db = sqlite();
    db.prepare(`DELETE FROM "WeeklyCount" WHERE "id" = ?`).run(e.rowId);
    db.close();
    const r = await verifyChain(app.deps.db);
    expect(r.problem).toEqual({ what: 'deleted', entryId: e.id, table: 'WeeklyCount', rowId: e.rowId });
    expect(describeVerify(r)).toContain('被删除');
  });

  it('an altered chain entry, named before the later deletion', async () => {
    const [first] = await entries();
    const db = sqlite();
    db.prepare(`UPDATE "ChainEntry" SET "rowHash" = ? WHERE "id" = ?`).run('f'.repeat(64), first!.id);
    db.close();
    const r = await verifyChain(app.deps.db);
    expect(r.problem).toMatchObject({ what: 'entry_altered', entryId: first!.id });
    expect(describeVerify(r)).toContain(`第 ${first!.id} 条链记录`);
  });
});
