/** Multi-row inserts written as SQL read back exactly as Prisma would have written them, ids in the order given. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { enqueueMany } from '../../src/store/outbox.repository.js';
import { createAlerts } from '../../src/store/alert.repository.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => app.close());

describe('bulk inserts', () => {
  it('500 messages (5,000 values, several statements): every field as written, ids in the order given', async () => {
    const at = new Date('2026-11-20T09:00:30.123Z');
    const later = new Date('2026-11-21T07:00:00.000Z');
    const ms = Array.from({ length: 500 }, (_, i) => ({
      chatRef: `telegram:dm:${i}`,
      personId: i % 3 === 0 ? null : i,
      text: `第${i}条 "引号" '单引号' ; DROP TABLE x; 😀`,
      ...(i % 2 === 0 ? { buttons: [{ action: `ack:${i}`, label: '已收到', textEquivalent: `收到 ${i}` }] } : {}),
      kind: 'alert',
      urgent: i % 5 === 0,
      notBefore: i % 7 === 0 ? later : null,
    }));
    const ids = await app.deps.db.$transaction((tx) => enqueueMany(tx, at, ms));
    expect(ids).toHaveLength(500);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const rows = await app.deps.db.outbox.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    rows.forEach((r, i) => {
      const m = ms[i]!;
      expect(r).toMatchObject({ chatRef: m.chatRef, personId: m.personId, text: m.text, kind: 'alert', urgent: m.urgent, status: 'pending', attempts: 0 });
      expect(r.createdAt.getTime()).toBe(at.getTime());
      expect(r.notBefore?.getTime() ?? null).toBe(m.notBefore?.getTime() ?? null);
      expect(r.buttons === null ? undefined : JSON.parse(r.buttons)).toEqual(m.buttons);
    });
  });

  it('alerts come back keyed by student and step, with the defaults of the table', async () => {
    const at = new Date('2026-11-20T09:00:00Z');
    const made = await app.deps.db.$transaction((tx) =>
      createAlerts(tx, [
        { studentId: 7, step: 'call_family', streakSince: '2026-11-20', streakDays: 1, raisedOn: '2026-11-20', at, remindAfterMin: 120, visitWithinMin: 1440 },
        {
          studentId: 7,
          step: 'joint_home_visit',
          streakSince: '2026-11-19',
          streakDays: 2,
          raisedOn: '2026-11-20',
          at,
          remindAfterMin: 120,
          visitWithinMin: 1440,
        },
      ]),
    );
    const a = await app.deps.db.alert.findUniqueOrThrow({ where: { id: made.get('7:joint_home_visit')!.id } });
    expect(a).toMatchObject({ studentId: 7, step: 'joint_home_visit', streakDays: 2, status: 'open', escalation: 'none', remindAfterMin: 120 });
    expect(a.createdAt.getTime()).toBe(at.getTime());
  });
});
