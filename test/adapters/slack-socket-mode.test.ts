/**
 * Slack in Socket Mode: Bolt's Socket Mode receiver (and @slack/socket-mode) loads only when an App in Socket Mode is
 * built (adapters/slack/slack-adapter.ts keeps it out of an HTTP start), and that App gets the real receiver.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOCKET_MODE_RECEIVER, createSlackAdapter } from '../../adapters/slack/slack-adapter.js';

const require = createRequire(import.meta.url);
const socketModeClient = require.resolve('@slack/socket-mode', { paths: [path.dirname(SOCKET_MODE_RECEIVER)] });

describe('slack in Socket Mode', () => {
  it('loads the Socket Mode receiver only for a Socket Mode app, and that app gets the real receiver', async () => {
    const http = createSlackAdapter({ botToken: 'xoxb-test', signingSecret: 'test-signing-secret', mode: 'http', port: 0, botId: 'BBOT', botUserId: 'UBOT' });
    expect(require.cache[socketModeClient]).toBeUndefined();

    const socket = createSlackAdapter({
      botToken: 'xoxb-test',
      signingSecret: 'test-signing-secret',
      mode: 'socket',
      appToken: 'xapp-1-test',
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    expect(require.cache[socketModeClient]).toBeDefined();

    const { default: App } = require('@slack/bolt/dist/App.js') as typeof import('@slack/bolt/dist/App.js');
    const { default: SocketModeReceiver } = require(SOCKET_MODE_RECEIVER) as typeof import('@slack/bolt/dist/receivers/SocketModeReceiver.js');
    const app = new App({
      token: 'xoxb-test',
      appToken: 'xapp-1-test',
      socketMode: true,
      signingSecret: 'test-signing-secret',
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    const receiver = (app as unknown as { receiver: unknown }).receiver;
    expect(receiver).toBeInstanceOf(SocketModeReceiver);
    expect(Object.getPrototypeOf(receiver)).toBe(SocketModeReceiver.prototype);
    await http.stop();
    await socket.stop();
  });
});
