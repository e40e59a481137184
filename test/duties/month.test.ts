/** A month of duties for the demo county, on a fake clock: exactly the expected messages, once each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { dutyMessages, line, play, runnerFor } from '../helpers/duty-sim.js';
import { cast, events, expected, type Cast } from './scenario.js';

let app: TestApp;
let c: Cast;
const log: string[] = [];

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-01T00:00:00+08:00' });
  c = await cast(app);
  await play(app, runnerFor(app, log), '2026-11-01 00:00', '2026-11-30 23:30', events(app, c));
}, 120_000);
afterAll(async () => app?.close());

describe('November 2026 in the demo county', () => {
  it('the bot sends exactly the expected messages, each once, at the expected time', async () => {
    const got = (await dutyMessages(app.deps.db)).map(line).sort();
    const want = expected(c).map(line).sort();
    expect(got).toEqual(want);
  });

  it('everything was delivered; no duty failed; the ledger holds each duty once', async () => {
    expect(await app.deps.db.outbox.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(log.filter((l) => l.includes('failed'))).toEqual([]);
    const runs = await app.deps.db.dutyRun.findMany();
    expect(new Set(runs.map((r) => r.key)).size).toBe(runs.length);
    expect(runs.filter((r) => r.outcome === 'sent').reduce((n, r) => n + r.messages, 0)).toBe(
      await app.deps.db.outbox.count({ where: { dutyKey: { not: null } } }),
    );
  });

  it('group chats got class-level prompts only; names went by direct message to the responsible', async () => {
    const rows = await app.deps.db.outbox.findMany({ where: { chatRef: { contains: ':group:' }, kind: { not: 'reply' } } });
    expect(rows.length).toBe(12);
    expect(rows.every((r) => !r.text.includes(c.S.name))).toBe(true);
  });
});
