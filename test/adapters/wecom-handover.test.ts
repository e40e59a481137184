/** WeCom's callback is answered only once the message is handed over (in `npm start`: recorded in the inbox). */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Incoming } from '../../src/core/chat-port.js';
import { wecomUnderTest } from './wecom-setup.js';
import { waitFor } from '../helpers/wait-for.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

describe('wecom callback hand-over', () => {
  it('answers 200 only after the hand-over resolves, and 500 when it fails, so WeCom sends the message again', async () => {
    const { api, adapter, callbackUrl } = await wecomUnderTest(new ManualClock('2026-11-20T08:00:00+08:00'));
    cleanup = async () => {
      await adapter.stop();
      await api.stop();
    };
    const taken: Incoming[] = [];
    let failNext = true;
    let release: (() => void) | undefined;
    await adapter.start(async (m) => {
      if (failNext) {
        failNext = false;
        throw new Error('database is locked');
      }
      await new Promise<void>((r) => (release = r));
      taken.push(m);
    });
    const xml = api.textXml('zhangsan', '我是谁', { msgId: '7001' });
    expect((await api.push(callbackUrl, xml)).status).toBe(500);

    let answered = false;
    const again = api.push(callbackUrl, xml).then((r) => ((answered = true), r));
    await waitFor(() => release !== undefined, { what: 'the redelivered message to reach the handler' });
    expect(answered).toBe(false);
    release!();
    expect((await again).status).toBe(200);
    expect(taken.map((m) => [m.accountId, m.text, m.platformMessageId])).toEqual([['zhangsan', '我是谁', '7001']]);
  });
});
