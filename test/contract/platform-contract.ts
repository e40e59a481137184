/**
 * The contract every chat platform keeps, run the same way for each against its fake on 127.0.0.1 and the real core
 * on SQLite. The adapter is built by the platform's descriptor in the registry, from its own variables (so the
 * schema, the factory and the lazy SDK load are under test too). A harness (one small file per platform) speaks
 * the platform's protocol: what a person says, what the platform received, how it says "too many requests".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import type { ChatAdapter, Incoming } from '../../src/core/chat-port.js';
import type { PlatformRuntime } from '../../src/core/platform.js';
import { platformNamed } from '../../adapters/registry.js';
import { handleIncoming } from '../../src/core/router.js';
import { drainOutbox } from '../../src/delivery/dispatcher.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { sendToChat, sendToPerson, sendToPersonNow } from '../../src/services/messenger.js';

/** One message as the platform received it from the adapter. */
export interface Delivered {
  text: string;
  /** Action ids of the buttons it carries (empty where the platform shows the words to type instead). */
  actions: string[];
  /** What the harness needs to press its button (a card's task id, a link). */
  ref?: string;
}

export type ChatKind = 'dm' | 'group';

export interface PlatformHarness {
  name: string;
  /** Three accounts on the platform and the class group's id there. */
  accounts: { teacher: string; principal: string; cadre: string };
  group: string;
  /** Starts the fake; returns the platform's variables pointing at it (callback ports free on 127.0.0.1). */
  start(app: TestApp): Promise<Record<string, string>>;
  /**
   * Builds the adapter instead of the descriptor's factory, only where the platform's client cannot be pointed at a
   * fake by a variable (WeChat: the puppet is an object). The variables are still parsed and must count as configured.
   */
  create?(rt: PlatformRuntime): Promise<ChatAdapter>;
  /** After the adapter started (e.g. the fake logs the bot in). */
  started?(): Promise<void>;
  stop(): Promise<void>;
  /** A person writes to the bot in a direct chat or in the class group (mentioning the bot where needed). */
  says(account: string, where: ChatKind, text: string): Promise<void>;
  /** What the platform received for a direct chat with an account, or for the class group, oldest first. */
  delivered(where: ChatKind, account?: string): Delivered[];
  /** Pressing a button of a delivered message, as the platform reports it (a typed text equivalent where it has none). */
  press(account: string, d: Delivered, action: string): Promise<void>;
  /**
   * The next message send is answered the platform's "too many requests"; returns the seconds the adapter must report.
   * Absent where the platform has no such answer (WeChat: a personal account is banned, not told; the dispatcher's
   * own windows keep it under).
   */
  rateLimitNext?(): number;
  /** The next message send is answered with an error nobody planned for (HTTP 500, an unknown error code). */
  failNext(): void;
}

export function platformContract(h: PlatformHarness): void {
  describe(`${h.name}: the platform contract`, () => {
    let app: TestApp;
    let adapter: ChatAdapter;
    const logs: string[] = [];
    let handled = 0;
    let failHandling = false;
    const adapters = () => new Map([[adapter.platform, adapter]]);
    const deliver = () => drainOutbox(app.deps.db, app.deps.clock, adapters());
    const person = (staffId: string) => app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
    const texts = (where: ChatKind, account?: string) => h.delivered(where, account).map((d) => d.text);

    /** A person says something; resolves once the core has handled it and its answers went out. */
    async function says(account: string, where: ChatKind, text: string) {
      const n = handled;
      await h.says(account, where, text);
      await waitFor(() => handled > n, { what: `${h.name} to hand over “${text}”` });
    }

    beforeAll(async () => {
      app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
      const env = await h.start(app);
      const d = platformNamed(h.name);
      expect(d, `${h.name} is in adapters/registry.ts`).toBeDefined();
      const config = d!.configSchema.parse(env);
      expect(d!.configured(config), `${h.name} counts as configured with its variables`).toBe(true);
      const rt: PlatformRuntime = { log: (l) => logs.push(l), clock: app.clock, sendTimeoutMs: 30_000, listenHost: '127.0.0.1' };
      adapter = h.create ? await h.create(rt) : await d!.create(config, rt);
      expect(adapter.platform).toBe(h.name);
      await adapter.start(async (m: Incoming) => {
        try {
          if (failHandling) {
            failHandling = false;
            throw new Error('contract: the core failed on this message');
          }
          await handleIncoming(app.deps, m, () => undefined);
          await deliver();
        } finally {
          handled++;
        }
      });
      await h.started?.();
    });

    afterAll(async () => {
      await adapter?.stop();
      await h.stop();
      await app?.close();
    });

    it('a direct message from an unbound account gets a reply: how to bind, never data', async () => {
      await says(h.accounts.teacher, 'dm', '情况');
      expect(texts('dm', h.accounts.teacher).at(-1)).toContain('绑定');
    });

    it('people bind their accounts by invite code in a direct chat', async () => {
      for (const [account, staffId] of [
        [h.accounts.teacher, 'T0012'],
        [h.accounts.principal, 'T0009'],
        [h.accounts.cadre, 'T0005'],
      ] as const) {
        const { code } = await createInviteCode(app.deps, (await person(staffId)).id);
        await says(account, 'dm', `绑定 ${code}`);
        expect(texts('dm', account).at(-1)).toContain('绑定成功');
      }
    });

    it('the class teacher binds the class group with 绑定班级; the answer goes to the group', async () => {
      await says(h.accounts.teacher, 'group', '绑定班级');
      expect(texts('group').at(-1)).toContain('一(1)班');
    });

    it("a group command is answered in the group without a pupil's name; the details go by direct message", async () => {
      const inGroup = texts('group').length;
      const toTeacher = texts('dm', h.accounts.teacher).length;
      await says(h.accounts.teacher, 'group', '缺勤 余小龙 旷课');
      const groupNow = texts('group').slice(inGroup);
      expect(groupNow.length).toBeGreaterThan(0);
      expect(groupNow.join('\n')).not.toContain('余小龙');
      expect(texts('dm', h.accounts.teacher).slice(toTeacher).join('\n')).toContain('余小龙');
    });

    it('a direct message and a group message from the outbox arrive through the pump', async () => {
      const principal = await person('T0009');
      await sendToPerson(app.deps.db, app.clock.now(), principal.id, '契约测试：私信');
      await sendToChat(app.deps.db, app.clock.now(), `${h.name}:group:${h.group}`, '契约测试：群消息');
      const r = await deliver();
      expect(r.sent).toBeGreaterThanOrEqual(2);
      expect(texts('dm', h.accounts.principal)).toContain('契约测试：私信');
      expect(texts('group')).toContain('契约测试：群消息');
    });

    it('buttons arrive as buttons, or as the words to type; pressing one reaches the core', async () => {
      const principal = await person('T0009');
      const button = { action: 'ack:424242', label: '已收到', textEquivalent: '收到 424242' };
      await sendToPerson(app.deps.db, app.clock.now(), principal.id, '契约测试：按钮', { buttons: [button] });
      await deliver();
      const got = h
        .delivered('dm', h.accounts.principal)
        .filter((d) => d.text.includes('契约测试：按钮') || d.actions.length > 0)
        .at(-1)!;
      expect(got.actions.includes(button.action) || got.text.includes(button.textEquivalent)).toBe(true);
      const before = texts('dm', h.accounts.principal).length;
      const n = handled;
      await h.press(h.accounts.principal, got, button.action);
      await waitFor(() => handled > n, { what: 'the press to be handled' });
      // no alert #424242: the core says so, to the one who pressed
      expect(texts('dm', h.accounts.principal).slice(before).join('\n')).toContain('424242');
    });

    it.skipIf(!h.rateLimitNext)("the platform's “too many requests” pauses delivery for its retry-after, without counting an attempt", async () => {
      const principal = await person('T0009');
      const seconds = h.rateLimitNext!();
      const id = await sendToPersonNow(app.deps.db, app.clock.now(), principal.id, '契约测试：限流');
      const r = await deliver();
      expect(r.rateLimited).toEqual([{ platform: h.name, seconds }]);
      expect(await app.deps.db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 0 });
      app.clock.advance(seconds * 1000 - 1000);
      await deliver();
      expect(texts('dm', h.accounts.principal)).not.toContain('契约测试：限流');
      app.clock.advance(1000);
      await deliver();
      expect(texts('dm', h.accounts.principal)).toContain('契约测试：限流');
      expect((await app.deps.db.outbox.findUniqueOrThrow({ where: { id } })).status).toBe('sent');
    });

    it('an error the platform was not expected to give fails the message (backoff, reason kept), not the process', async () => {
      const principal = await person('T0009');
      h.failNext();
      const id = await sendToPersonNow(app.deps.db, app.clock.now(), principal.id, '契约测试：出错');
      const r = await deliver();
      expect(r.failed).toBe(1);
      const row = await app.deps.db.outbox.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.lastError).toBeTruthy();
      app.clock.advance(60_000);
      await deliver();
      expect(texts('dm', h.accounts.principal)).toContain('契约测试：出错');
    });

    it('a failure while handling an incoming message becomes a log line, and the next message is handled', async () => {
      failHandling = true;
      const before = logs.length;
      await h.says(h.accounts.principal, 'dm', '帮助');
      await waitFor(() => logs.slice(before).some((l) => l.startsWith(`${h.name}:`)), { what: `a ${h.name} log line` });
      expect(logs.slice(before).join('\n')).toContain('contract: the core failed on this message');
      const replies = texts('dm', h.accounts.principal).length;
      await says(h.accounts.principal, 'dm', '帮助');
      await waitFor(() => texts('dm', h.accounts.principal).length > replies, { what: 'the next answer' });
    });
  });
}
