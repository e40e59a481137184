/** `npm start` with platforms configured: they run against their configured API roots (here fakes), not the console. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { FakeSlackApi, slackHeaders } from '../fakes/slack-api.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait-for.js';
import { buildIfStale, type Started, startCompiled } from '../helpers/compiled-start.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-start-'));
let child: Started | undefined;
let api: FakeTelegramApi | undefined;
let slack: FakeSlackApi | undefined;

// What `npm start` runs: the compiled build (rebuilt only when a source is newer).
beforeAll(() => buildIfStale());

afterAll(async () => {
  child?.proc.kill('SIGTERM');
  await api?.stop();
  await slack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it('serves Telegram and answers an unbound user with how to bind', async () => {
    api = await new FakeTelegramApi('42:START').start();
    child = startCompiled({ DATABASE_URL: `file:${path.join(dir, 's.db')}`, TELEGRAM_BOT_TOKEN: '42:START', TELEGRAM_API_ROOT: api.apiRoot });
    const output = child.output;
    api.userSays({ id: 7 }, { id: 7, type: 'private' }, '你好');
    const [msg] = await api.waitForSent(1, 30_000);
    expect(msg!.chat_id).toBe(7);
    expect(msg!.text).toContain('绑定');
    expect(output()).toContain('telegram: connected as @kcbx_bot (long polling)');
    expect(output()).not.toContain('打开控制台');
    // The line scripts/bench/footprint.ts times the start by.
    await waitFor(() => /"ready in \d+ ms: telegram"/.test(output()), { what: () => `the ready line (output: ${output().slice(-2000)})` });
  });
});

describe('one platform failing does not stop the others', () => {
  it('a Telegram token the API refuses is logged by name; Slack keeps serving', async () => {
    child?.proc.kill('SIGTERM');
    slack = await new FakeSlackApi().start();
    const port = await freePort();
    child = startCompiled({
      DATABASE_URL: `file:${path.join(dir, 's.db')}`,
      TELEGRAM_BOT_TOKEN: '13:WRONG',
      TELEGRAM_API_ROOT: api!.apiRoot,
      SLACK_BOT_TOKEN: 'xoxb-x',
      SLACK_SIGNING_SECRET: 'slack-secret-123',
      SLACK_MODE: 'http',
      SLACK_PORT: String(port),
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_ID: 'BBOT',
      SLACK_BOT_USER_ID: 'UBOT',
    });
    const output = child.output;
    // Ready once every platform has started or failed (they start side by side).
    await waitFor(() => /"ready in \d+ ms: slack"/.test(output()), {
      what: () => `the ready line with Slack running (output: ${output().slice(-2000)})`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(output()).toMatch(/telegram: failed to start: .*401/);
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'E1',
      event_time: 1,
      event: { type: 'message', user: 'U9', text: '你好', channel: 'DU9', channel_type: 'im', ts: '1.1', event_ts: '1.1' },
    });
    const r = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: slackHeaders('slack-secret-123', body, 'application/json'),
      body,
    });
    expect(r.status).toBe(200);
    await waitFor(() => slack!.posted.length > 0, { what: "the bot's answer on Slack", intervalMs: 100 });
    expect(slack.posted[0]!.text).toContain('绑定');
  });
});
