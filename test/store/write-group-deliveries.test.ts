/**
 * What a function of a shared write transaction learns at its start (write-group.ts): its message recorded for it in
 * the batch's one statement (new, or seen before), and the organisation's version as its own statements see it. A
 * message whose handling is undone, or that the batch had no time for, is not left recorded: a resend is handled. On
 * both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { executeStatement } from '../../src/store/direct.js';
import { bindGroup } from '../../src/store/chat.repository.js';
import type { Delivery } from '../../src/store/inbound.repository.js';
import { orgVersion } from '../../src/store/org-cache.js';
import type { Tx } from '../../src/store/prisma.js';
import { BATCH_BUDGET_MS, type JobStart, withSharedWriteTransaction } from '../../src/store/write-group.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp();
});
afterAll(async () => app.close());

const at = new Date('2026-11-18T00:30:00.123Z');
const delivery = (messageId: string): Delivery => ({ platform: 'telegram', messageId, at });
const recorded = (messageId: string) => app.deps.db.inboundMessage.count({ where: { platform: 'telegram', messageId } });
const audit = (tx: Tx, action: string) =>
  executeStatement(
    tx,
    Prisma.sql`INSERT INTO "AuditLog" ("at", "action", "detail", "actorId", "chatRef") VALUES (${at}, ${action}, ${'{}'}, ${null}, ${'test:dm:1'})`,
  );
const starts = (messageIds: (string | undefined)[], fn: (i: number, tx: Tx, start: JobStart) => Promise<unknown> = async () => undefined) =>
  Promise.allSettled(
    messageIds.map((id, i) =>
      withSharedWriteTransaction(
        app.deps.db,
        async (tx, start) => {
          await fn(i, tx, start);
          return start;
        },
        id === undefined ? undefined : delivery(id),
      ),
    ),
  );
const firsts = (settled: PromiseSettledResult<JobStart>[]) => settled.map((s) => (s.status === 'fulfilled' ? s.value.first : 'failed'));

describe('deliveries in a shared write transaction', () => {
  it('each message is new once: a redelivery in the same batch or a later one is not, one without an id is neither', async () => {
    expect(firsts(await starts(['m1', 'm2', 'm1', undefined]))).toEqual([true, true, false, undefined]);
    expect(firsts(await starts(['m2', 'm3']))).toEqual([false, true]);
    expect(await recorded('m1')).toBe(1);
  });

  it('a handling that fails leaves its message unrecorded; a redelivery of it later in the batch is handled as new', async () => {
    const settled = await starts(['f1', 'f2', 'f1'], async (i, tx) => {
      await audit(tx, 'deliveries-undone');
      if (i === 0) throw new Error('refused on purpose');
    });
    expect(firsts(settled)).toEqual(['failed', true, true]);
    expect(await recorded('f1')).toBe(1);
    // Only the redelivery's writes are kept, with the other's.
    expect(await app.deps.db.auditLog.count({ where: { action: 'deliveries-undone' } })).toBe(2);
    const again = await starts(['f3'], async () => {
      throw new Error('fails alone too');
    });
    expect(firsts(again)).toEqual(['failed']);
    expect(await recorded('f3')).toBe(0);
  });

  it('a message the batch had no time for is recorded by the batch that handles it', async () => {
    const settled = await starts(['b1', 'b2', 'b3'], async (i) => {
      if (i < 2) await new Promise((r) => setTimeout(r, BATCH_BUDGET_MS * 0.6));
    });
    expect(firsts(settled)).toEqual([true, true, true]);
    expect(await recorded('b3')).toBe(1);
  });

  it('the version each handling is given is what its statements see, also after one before it in the batch moved it', async () => {
    const teacher = (await app.deps.db.person.findFirst({ where: { role: 'class_teacher', classId: { not: null } } }))!;
    const seen: { given: number | undefined; read: number | undefined }[] = [];
    const settled = await starts(['v1', 'v2', 'v3', undefined], async (i, tx, start) => {
      seen.push({ given: start.orgVersion, read: await orgVersion(tx) });
      if (i === 1) await bindGroup(tx, 'telegram:group:-4242', teacher.classId!, teacher.id, at);
    });
    expect(settled.every((s) => s.status === 'fulfilled')).toBe(true);
    expect(seen.map((s) => s.given)).toEqual(seen.map((s) => s.read));
    expect(seen[2]!.given).not.toBe(seen[1]!.given);
    expect(seen[0]!.given).toBeTypeOf('number');
  });
});
