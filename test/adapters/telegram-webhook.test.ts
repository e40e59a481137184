/** Telegram webhook mode: the secret-token header is checked; a good request reaches the core. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { createTelegramAdapter } from '../../adapters/telegram/telegram-adapter.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';

const TOKEN = '555:HOOK';
const SECRET = 'kcbx-webhook-secret';
let app: TestApp;
let api: FakeTelegramApi;
let adapter: ChatAdapter;
let hookUrl = '';

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  api = await new FakeTelegramApi(TOKEN).start();
  const port = await freePort();
  hookUrl = `http://127.0.0.1:${port}/telegram/hook`;
  adapter = createTelegramAdapter({
    token: TOKEN,
    apiRoot: api.apiRoot,
    webhook: { domain: 'https://bot.example.org', path: '/telegram/hook', port, host: '127.0.0.1', secretToken: SECRET },
  });
  await wire(app, adapter);
});

afterAll(async () => {
  await adapter?.stop();
  await api?.stop();
  await app?.close();
});

const update = (text: string, id: number) =>
  JSON.stringify({
    update_id: id,
    message: { message_id: id, date: 1, from: { id: 88, is_bot: false, first_name: 'X' }, chat: { id: 88, type: 'private' }, text },
  });

describe('telegram webhook', () => {
  it('registers the webhook with its secret token', () => {
    expect(api.webhook).toEqual({ url: 'https://bot.example.org/telegram/hook', secret_token: SECRET });
  });

  it('a request with a wrong or missing secret is refused with 401 and handled not at all', async () => {
    for (const headers of [{ 'x-telegram-bot-api-secret-token': 'guess' }, {}] as Record<string, string>[]) {
      const r = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: update('情况', 1) });
      expect(r.status).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(api.sent).toHaveLength(0);
    expect(await app.deps.db.inboundMessage.count()).toBe(0);
  });

  it('a request with the secret is handled', async () => {
    const r = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: update('情况', 2),
    });
    expect(r.status).toBe(200);
    const [msg] = await api.waitForSent(1);
    expect(msg!.text).toContain('绑定');
  });
});
