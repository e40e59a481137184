/**
 * A pump's history of platform calls (claim-history.ts), on a real database: other processes' claims are read once
 * each, late commits from just before the last read are still found, this process's own claims are not counted twice,
 * and what has left every window is forgotten.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimHistory } from '../../src/delivery/claim-history.js';
import { platformLimits } from '../../src/delivery/options.js';
import { loadConfig } from '../../src/config.js';
import { claim, enqueue } from '../../src/store/outbox.repository.js';
import { makeApp, type TestApp } from '../helpers/app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const limits = platformLimits(loadConfig({}));
const GROUP = 'telegram:group:-100';
const group = { platform: 'telegram', kind: 'group' as const, id: '-100' };
const T0 = Date.parse('2026-11-20T08:00:00+08:00');

/** A message to the group claimed by `by` at `at` (a platform call, as the database records it). */
async function claimedBy(a: TestApp, by: string, at: number): Promise<void> {
  const id = await enqueue(a.deps.db, new Date(at - 1), { chatRef: GROUP, text: 'x' });
  const token = await claim(a.deps.db, { id, attempts: 0, chatRef: GROUP }, by, new Date(at), 60_000);
  expect(token).not.toBeNull();
  await a.deps.db.outbox.update({ where: { id }, data: { status: 'sent' } });
}

describe('claim history', () => {
  it("reads each other process's claim once, finds one stamped just before the last read, and skips its own after the first read", async () => {
    app = await makeApp({ now: new Date(T0).toISOString() });
    // 19 calls by another process in the minute: one more fits the group's 20 a minute
    for (let i = 0; i < 19; i++) await claimedBy(app, 'other', T0 + i * 1000);
    const h = new ClaimHistory(limits, 'telegram', 'me');
    await h.catchUp(app.deps.db, T0 + 20_000, 0);
    expect(h.limiter.waitMs(group, T0 + 20_000)).toBe(0);
    // read again: nothing counted twice
    await h.catchUp(app.deps.db, T0 + 20_100, 0);
    expect(h.limiter.waitMs(group, T0 + 20_100)).toBe(0);
    // this process's own claim, recorded as it is made and found in the database too: counted once
    await claimedBy(app, 'me', T0 + 20_200);
    h.limiter.record(group, T0 + 20_200);
    await h.catchUp(app.deps.db, T0 + 20_300, 0);
    // 20 in the minute: the 21st waits for the first to leave it
    expect(h.limiter.waitMs(group, T0 + 20_300)).toBe(60_000 - 20_300);
    expect(h.remembered).toBe(19);

    // a claim stamped before the last read but committed after it is still found by the next
    const h2 = new ClaimHistory(limits, 'telegram', 'me');
    app.clock.set(new Date(T0 + 100_000).toISOString());
    await h2.catchUp(app.deps.db, T0 + 100_000, 0);
    await claimedBy(app, 'other', T0 + 99_900);
    for (let i = 1; i < 20; i++) await claimedBy(app, 'other', T0 + 100_000 + i * 10);
    await h2.catchUp(app.deps.db, T0 + 100_500, 0);
    expect(h2.limiter.waitMs(group, T0 + 100_500)).toBe(60_000 - 600);
  });

  it('forgets what left every window, and starts over when the clock goes back', async () => {
    app = await makeApp({ now: new Date(T0).toISOString() });
    for (let i = 0; i < 5; i++) await claimedBy(app, 'other', T0 + i);
    const h = new ClaimHistory(limits, 'telegram', 'me');
    await h.catchUp(app.deps.db, T0 + 1000, 0);
    h.limiter.record({ platform: 'telegram', kind: 'dm', id: '42' }, T0 + 1000);
    expect(h.limiter.keys).toBeGreaterThan(0);
    expect(h.remembered).toBe(5);
    await h.catchUp(app.deps.db, T0 + 200_000, 0);
    expect(h.limiter.keys).toBe(0);
    expect(h.remembered).toBe(0);
    // the clock went back (a test's manual clock, a corrected system clock): everything in the windows is read again
    await h.catchUp(app.deps.db, T0 + 2000, 0);
    expect(h.remembered).toBe(5);
    expect(h.limiter.waitMs(group, T0 + 2000)).toBe(0);
  });
});
