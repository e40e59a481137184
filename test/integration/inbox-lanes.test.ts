/**
 * The inbox worker handles different chats at the same time and each chat's updates in the order they came, marks
 * what it handled in one statement for many, records a redelivered update once, and takes what is accepted while
 * others are in hand at once (no rounds).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { createInbox } from '../../src/core/inbox.js';
import { handleIncoming, type HandleResult } from '../../src/core/router.js';
import type { Incoming } from '../../src/core/chat-port.js';

let app: TestApp;
beforeAll(async () => {
  app = await makeApp({ demo: false });
});
afterAll(async () => {
  await app?.close();
});

const msg = (chat: string, seq: number): Incoming => ({
  platform: 'telegram',
  accountId: chat,
  chat: { platform: 'telegram', kind: 'dm', id: chat },
  text: String(seq),
  platformMessageId: `${chat}:${seq}`,
});

describe('inbox lanes', () => {
  it('chats overlap, each chat keeps its order, and every update is marked handled', async () => {
    const seen = new Map<string, number[]>();
    let inHand = 0;
    let mostAtOnce = 0;
    const inbox = createInbox(
      app.deps,
      async (m) => {
        inHand++;
        mostAtOnce = Math.max(mostAtOnce, inHand);
        // Handlers take different turns of the event loop, so lanes interleave.
        for (let i = 0; i < (Number(m.text) * 7 + m.accountId.length) % 4; i++) await new Promise((r) => setImmediate(r));
        seen.set(m.accountId, [...(seen.get(m.accountId) ?? []), Number(m.text)]);
        inHand--;
      },
      { lanes: 4 },
    );
    const chats = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff'];
    // Interleaved as they would arrive: a round-robin over the chats, ten each.
    for (let seq = 1; seq <= 10; seq++) for (const c of chats) await inbox.accept(msg(c, seq));
    await inbox.accept(msg('a', 3)); // a redelivery: recorded once
    expect(await app.deps.db.inboundUpdate.count()).toBe(60);
    expect(await inbox.drain()).toBe(60);
    for (const c of chats) expect(seen.get(c)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(4);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
    expect(await inbox.drain()).toBe(0);
  });

  it('a failed update holds back the later ones of its chat only, and is tried again', async () => {
    let failOnce = true;
    const seen: string[] = [];
    const inbox = createInbox(
      app.deps,
      async (m) => {
        if (m.accountId === 'x' && m.text === '2' && failOnce) {
          failOnce = false;
          throw new Error('boom');
        }
        seen.push(`${m.accountId}${m.text}`);
      },
      { lanes: 2, log: () => undefined },
    );
    for (const m of [msg('x', 1), msg('y', 1), msg('x', 2), msg('y', 2), msg('x', 3)]) await inbox.accept(m);
    await inbox.drain();
    expect(seen.filter((s) => s.startsWith('x'))).toEqual(['x1']);
    expect(seen.filter((s) => s.startsWith('y'))).toEqual(['y1', 'y2']);
    await inbox.drain();
    expect(seen.filter((s) => s.startsWith('x'))).toEqual(['x1', 'x2', 'x3']);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
  });

  it('handled but not yet marked when the process died: handled again at the next start, answered once', async () => {
    const results: HandleResult['handled'][] = [];
    const handle = async (m: Incoming) => void results.push((await handleIncoming(app.deps, m)).handled);
    const first = createInbox(app.deps, handle);
    for (const c of ['p', 'q']) await first.accept(msg(c, 1));
    await first.drain();
    expect(results).toEqual(['unbound', 'unbound']);
    const replies = await app.deps.db.outbox.count();
    // The round's marks never written (the process died after handling): both updates look unhandled again.
    await app.deps.db.inboundUpdate.updateMany({ where: { updateId: { in: ['p:1', 'q:1'] } }, data: { handledAt: null } });
    const next = createInbox(app.deps, handle);
    expect(await next.drain()).toBe(2);
    expect(results).toEqual(['unbound', 'unbound', 'duplicate', 'duplicate']);
    expect(await app.deps.db.outbox.count()).toBe(replies);
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
  });

  it("an update accepted while another chat's slow handling is in hand is handled without waiting for it", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    const inbox = createInbox(
      app.deps,
      async (m) => {
        if (m.accountId === 'slow') await gate; // a county report drawn inside a handling, say
        seen.push(`${m.accountId}${m.text}`);
      },
      { lanes: 4, log: () => undefined },
    );
    inbox.start();
    try {
      await inbox.accept(msg('slow', 1));
      await inbox.accept(msg('quick', 1));
      await waitFor(() => seen.includes('quick1'), { what: 'quick1 handled while slow1 is in hand' });
      await inbox.accept(msg('quick', 2));
      await waitFor(() => seen.includes('quick2'), { what: 'quick2, accepted later, handled while slow1 is still in hand' });
      expect(seen).toEqual(['quick1', 'quick2']);
      release();
      await waitFor(() => seen.includes('slow1'), { what: 'slow1 handled once released' });
    } finally {
      release();
      await inbox.stop();
    }
    expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
  });

  it('property: whatever the arrivals, lanes and failures, each update is handled once, each chat in order, within the lanes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // The chat of each arrival, in arrival order (the k-th arrival of a chat is its update k).
          arrivals: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 40 }),
          lanes: fc.integer({ min: 1, max: 4 }),
          // Arrivals that fail the first time they are handled, and pauses (turns of the event loop) per handling.
          failing: fc.array(fc.nat(39), { maxLength: 6 }),
          turns: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 10 }),
          // Accept the next arrival without waiting for the previous one's answer this often (a burst).
          burst: fc.boolean(),
        }),
        async ({ arrivals, lanes, failing, turns, burst }) => {
          run++;
          const seq = new Map<number, number>();
          const updates = arrivals.map((c) => {
            const n = (seq.get(c) ?? 0) + 1;
            seq.set(c, n);
            return msg(`r${run}c${c}`, n);
          });
          const failOnce = new Set(failing.filter((i) => i < updates.length).map((i) => updates[i]!.platformMessageId!));
          const done = new Map<string, number[]>();
          const inHand = new Set<string>();
          let atOnce = 0;
          let mostAtOnce = 0;
          const problems: string[] = [];
          let k = 0;
          const inbox = createInbox(
            app.deps,
            async (m) => {
              if (inHand.has(m.accountId)) problems.push(`two of ${m.accountId} at once`);
              inHand.add(m.accountId);
              mostAtOnce = Math.max(mostAtOnce, ++atOnce);
              try {
                for (let i = 0; i < turns[k++ % turns.length]!; i++) await new Promise((r) => setImmediate(r));
                if (failOnce.delete(m.platformMessageId!)) throw new Error('boom');
                done.set(m.accountId, [...(done.get(m.accountId) ?? []), Number(m.text)]);
              } finally {
                inHand.delete(m.accountId);
                atOnce--;
              }
            },
            { lanes, pollMs: 20, log: () => undefined },
          );
          inbox.start();
          try {
            const accepted: Promise<void>[] = [];
            for (const u of updates) {
              const a = inbox.accept(u);
              accepted.push(a);
              if (!burst) await a;
            }
            await Promise.all(accepted);
            const handledCount = () => [...done.values()].reduce((n, l) => n + l.length, 0);
            await waitFor(() => handledCount() === updates.length, { what: () => `every update handled (${handledCount()} of ${updates.length})` });
          } finally {
            await inbox.stop();
          }
          expect(problems).toEqual([]);
          expect(mostAtOnce).toBeLessThanOrEqual(lanes);
          for (const [c, n] of seq) expect(done.get(`r${run}c${c}`)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
          expect(await app.deps.db.inboundUpdate.count({ where: { handledAt: null } })).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
