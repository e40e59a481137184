/**
 * A duty item that throws: logged with its key, recorded with its attempts and last error, retried on later ticks with
 * backoff, and it never holds up the other items, the later duties or the runner's window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { createDutyRunner, MAX_ATTEMPTS } from '../../src/duties/runner.js';
import { dutyKey, type DueBatch, type DueItem, type Duty } from '../../src/duties/types.js';
import { sendToChat } from '../../src/services/messenger.js';
import type { Deps } from '../../src/services/deps.js';
import type { Tx } from '../../src/store/prisma.js';
import { local } from '../helpers/duty-sim.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const broken = new Set<string>();
const INSTANTS = ['2026-11-20 10:00', '2026-11-20 10:10'].map(local);

async function send(deps: Deps, tx: Tx, key: string): Promise<number> {
  if (broken.has(key.split(':').at(-1)!)) throw new Error(`boom at ${key}`);
  await sendToChat(tx, deps.clock.now(), `console:group:${key}`, `message for ${key}`, { kind: 'duty:test', dutyKey: key });
  return 1;
}

/** Items for targets at fixed instants, the way scheduled duties are written. */
function scheduled(name: string, targets: string[], batched = false): Duty {
  return {
    name,
    async due(deps, window) {
      if (broken.has(`${name}.due`)) throw new Error(`${name} cannot tell what is due`);
      const batch: DueBatch = {
        async run(tx, items) {
          const out = new Map<string, number>();
          for (const i of items) out.set(i.key, await send(deps, tx, i.key));
          return out;
        },
      };
      return INSTANTS.filter((t) => t > window.from && t <= window.to).flatMap((t) =>
        targets.map((target): DueItem => {
          const key = dutyKey(name, t.toISOString(), target);
          return { key, duty: name, period: t.toISOString(), target, dueAt: t, run: (tx) => send(deps, tx, key), ...(batched ? { batch } : {}) };
        }),
      );
    },
  };
}

async function start() {
  broken.clear();
  app = await makeApp({ now: local('2026-11-20 09:55').toISOString(), demo: false });
  return app;
}

const at = (a: TestApp, s: string) => a.clock.set(local(s));
const failure = (a: TestApp, key: string) => a.deps.db.dutyFailure.findUnique({ where: { key } });
const ledger = async (a: TestApp, key: string) => (await a.deps.db.dutyRun.findUnique({ where: { key } }))?.outcome;
const k = (name: string, i: number, target: string) => dutyKey(name, INSTANTS[i]!.toISOString(), target);

describe('a duty item that throws', () => {
  it('fails alone, is recorded and logged with its key, and is retried with backoff until it succeeds', async () => {
    const a = await start();
    const log: string[] = [];
    const runner = createDutyRunner(a.deps, [scheduled('flaky', ['a', 'b', 'c']), scheduled('later', ['x'])], (l) => log.push(l));
    await runner.tick();
    broken.add('b');

    at(a, '2026-11-20 10:00');
    let r = await runner.tick();
    expect(r.ran.map((x) => x.key).sort()).toEqual([k('flaky', 0, 'a'), k('flaky', 0, 'c'), k('later', 0, 'x')]);
    expect(r.failed.map((x) => x.key)).toEqual([k('flaky', 0, 'b')]);
    expect(log.some((l) => l.includes(k('flaky', 0, 'b')) && l.includes('boom'))).toBe(true);
    let f = await failure(a, k('flaky', 0, 'b'));
    expect(f).toMatchObject({ duty: 'flaky', attempts: 1, lastError: `boom at ${k('flaky', 0, 'b')}`, resolvedAt: null });
    expect(f!.nextAttemptAt).toEqual(local('2026-11-20 10:01'));
    expect(await ledger(a, k('flaky', 0, 'b'))).toBeUndefined();

    // backing off: not tried again before its time
    a.clock.set(new Date(local('2026-11-20 10:00').getTime() + 30_000));
    r = await runner.tick();
    expect(r.ran).toEqual([]);
    expect(r.failed).toEqual([]);

    at(a, '2026-11-20 10:01');
    r = await runner.tick();
    expect(r.failed.map((x) => x.key)).toEqual([k('flaky', 0, 'b')]);
    f = await failure(a, k('flaky', 0, 'b'));
    expect(f!.attempts).toBe(2);
    expect(f!.nextAttemptAt).toEqual(local('2026-11-20 10:03'));

    // the window moved on: the next instant's items run although an earlier one is still failing
    at(a, '2026-11-20 10:10');
    r = await runner.tick();
    expect(r.ran.map((x) => x.key).sort()).toEqual([k('flaky', 1, 'a'), k('flaky', 1, 'c'), k('later', 1, 'x')]);
    expect(r.failed.map((x) => x.key).sort()).toEqual([k('flaky', 0, 'b'), k('flaky', 1, 'b')]);
    expect((await failure(a, k('flaky', 0, 'b')))!.attempts).toBe(3);

    broken.delete('b');
    at(a, '2026-11-20 10:20');
    r = await runner.tick();
    expect(r.ran.map((x) => x.key).sort()).toEqual([k('flaky', 0, 'b'), k('flaky', 1, 'b')]);
    expect(r.failed).toEqual([]);
    expect(await ledger(a, k('flaky', 0, 'b'))).toBe('sent');
    expect(await ledger(a, k('flaky', 1, 'b'))).toBe('sent');
    f = await failure(a, k('flaky', 0, 'b'));
    expect(f!.resolvedAt).toEqual(local('2026-11-20 10:20'));
    expect(f!.attempts).toBe(3);
    // every target got its message exactly once
    const sent = await a.deps.db.outbox.findMany({ where: { kind: 'duty:test' }, select: { dutyKey: true } });
    expect(sent).toHaveLength(8);
    expect(new Set(sent.map((m) => m.dutyKey)).size).toBe(8);

    at(a, '2026-11-20 11:00');
    r = await runner.tick();
    expect(r.ran).toEqual([]);
    expect(r.failed).toEqual([]);
  });

  it('a batch with a broken item: the others of the batch still run', async () => {
    const a = await start();
    const runner = createDutyRunner(a.deps, [scheduled('bulk', ['a', 'b', 'c', 'd'], true)]);
    await runner.tick();
    broken.add('c');
    at(a, '2026-11-20 10:00');
    const r = await runner.tick();
    expect(r.ran.map((x) => x.key).sort()).toEqual(['a', 'b', 'd'].map((t) => k('bulk', 0, t)));
    expect(r.failed.map((x) => x.key)).toEqual([k('bulk', 0, 'c')]);
    expect(await a.deps.db.outbox.count({ where: { kind: 'duty:test' } })).toBe(3);
    broken.clear();
    at(a, '2026-11-20 10:02');
    expect((await runner.tick()).ran.map((x) => x.key)).toEqual([k('bulk', 0, 'c')]);
  });

  it('a due() that throws is recorded; once fixed, the duty is asked again for the window it missed', async () => {
    const a = await start();
    const runner = createDutyRunner(a.deps, [scheduled('blind', ['a']), scheduled('later', ['x'])]);
    await runner.tick();
    broken.add('blind.due');
    at(a, '2026-11-20 10:00');
    let r = await runner.tick();
    expect(r.failed.map((x) => x.key)).toEqual(['blind:due']);
    expect(r.ran.map((x) => x.key)).toEqual([k('later', 0, 'x')]);
    expect((await failure(a, 'blind:due'))!.retryFrom).toEqual(local('2026-11-20 09:55'));
    broken.clear();
    at(a, '2026-11-20 10:05');
    r = await runner.tick();
    expect(r.ran.map((x) => x.key)).toEqual([k('blind', 0, 'a')]);
    expect((await failure(a, 'blind:due'))!.resolvedAt).toEqual(local('2026-11-20 10:05'));
  });

  it('a permanently broken item is given up after the cap, and tried once more when a process starts', async () => {
    const a = await start();
    await a.deps.db.person.create({ data: { staffId: 'C1', name: '县管理员', role: 'county' } });
    const runner = createDutyRunner(a.deps, [scheduled('flaky', ['b'])]);
    await runner.tick();
    broken.add('b');
    const key = k('flaky', 0, 'b');
    const both = [key, k('flaky', 1, 'b')];
    for (let hour = 10; hour < 10 + MAX_ATTEMPTS + 3; hour++) {
      at(a, `2026-11-20 ${hour}:00`);
      await runner.tick();
    }
    const f = await failure(a, key);
    expect(f!.attempts).toBe(MAX_ATTEMPTS);
    expect(f!.nextAttemptAt).toBeNull();
    // the county admin hears of each item given up, once
    const told = await a.deps.db.outbox.findMany({ where: { kind: 'duty_failure' }, orderBy: { id: 'asc' } });
    expect(told.map((m) => m.chatRef)).toEqual(['console:dm:C1', 'console:dm:C1']);
    expect(told[0]!.text).toContain(key);
    expect(told[0]!.text).toContain('已停止自动重试');

    broken.clear();
    at(a, '2026-11-21 09:00');
    expect((await runner.tick()).ran).toEqual([]);
    const restarted = createDutyRunner(a.deps, [scheduled('flaky', ['b'])]);
    at(a, '2026-11-21 09:01');
    expect((await restarted.tick()).ran.map((x) => x.key).sort()).toEqual(both);
    expect(await ledger(a, key)).toBe('sent');
  });
});
