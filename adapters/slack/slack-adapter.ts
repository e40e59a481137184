/**
 * Slack through Bolt: Socket Mode by default, or HTTP with request-signature verification. Buttons are Block Kit
 * actions, acknowledged before anything else (Slack's 3-second limit). No domain rules.
 */
import type http from 'node:http';
import { Module, createRequire } from 'node:module';
import { RateLimitedError, type ChatAdapter, type Incoming, type Outgoing } from '../../src/core/chat-port.js';

// Bolt's App and its HTTP receiver, not the package's index: the index also loads the Express and AWS Lambda
// receivers and the OAuth installer, none of which the bot uses (about 8 MB and 0.1 s at start). Bolt is pinned to an
// exact version in package.json; its adapter tests fail at import if an upgrade moves these files.
const require = createRequire(import.meta.url);

/**
 * Bolt's App requires its Socket Mode receiver when it loads, and with it @slack/socket-mode and undici (about 65 ms
 * of CPU at start), even when the bot runs over HTTP. Before App loads, require's cache gets a stand-in for that one
 * file: a constructor that loads the real receiver the first time App (in Socket Mode) builds one, and returns that
 * real receiver; `instanceof` asks the real class. Nothing changes when the receiver is already loaded. A test builds
 * a Socket Mode App through the stand-in.
 */
export const SOCKET_MODE_RECEIVER = require.resolve('@slack/bolt/dist/receivers/SocketModeReceiver.js');
function deferSocketModeReceiver(): void {
  if (require.cache[SOCKET_MODE_RECEIVER]) return;
  type Receiver = new (...args: unknown[]) => object;
  let real: Receiver | undefined;
  const load = (): Receiver => {
    if (!real) {
      if (require.cache[SOCKET_MODE_RECEIVER] === standIn) delete require.cache[SOCKET_MODE_RECEIVER];
      real = (require(SOCKET_MODE_RECEIVER) as { default: Receiver }).default;
    }
    return real;
  };
  function SocketModeReceiver(...args: unknown[]): object {
    return new (load())(...args);
  }
  Object.defineProperty(SocketModeReceiver, Symbol.hasInstance, { value: (x: unknown) => x instanceof load() });
  const standIn = new Module(SOCKET_MODE_RECEIVER);
  standIn.filename = SOCKET_MODE_RECEIVER;
  standIn.loaded = true;
  standIn.exports = { __esModule: true, default: SocketModeReceiver };
  require.cache[SOCKET_MODE_RECEIVER] = standIn;
}
deferSocketModeReceiver();
const { default: App, LogLevel } = require('@slack/bolt/dist/App.js') as typeof import('@slack/bolt/dist/App.js');
const { default: HTTPReceiver } = require('@slack/bolt/dist/receivers/HTTPReceiver.js') as typeof import('@slack/bolt/dist/receivers/HTTPReceiver.js');

export interface SlackOptions {
  botToken: string;
  signingSecret: string;
  mode: 'socket' | 'http';
  /** Socket Mode app-level token (xapp-…). */
  appToken?: string;
  /** HTTP mode: port for Slack's requests to /slack/events. */
  port?: number;
  /** Web API root: the public one, or a relay / test server. */
  apiUrl?: string;
  /** Known ids skip Bolt's auth.test at construction. */
  botId?: string;
  botUserId?: string;
  agent?: http.Agent;
  log?: (line: string) => void;
  /** Each Web API request gives up after this long (default 8 s: with 2 retries a send stays under the default send timeout of 30 s). */
  requestTimeoutMs?: number;
}

const ACK_ACTION = /^ack:\d+$/;

/** The Web API client's 429 (with rejectRateLimitedCalls): `slack_webapi_rate_limited_error` carrying retryAfter seconds. */
export function rateLimited(e: unknown): RateLimitedError | undefined {
  const err = e as { code?: unknown; retryAfter?: unknown } | null;
  if (err?.code !== 'slack_webapi_rate_limited_error') return undefined;
  const seconds = typeof err.retryAfter === 'number' ? err.retryAfter : 5;
  return new RateLimitedError(seconds);
}

export function createSlackAdapter(o: SlackOptions): ChatAdapter {
  const log = o.log ?? (() => undefined);
  // A 429 is handed to us (not slept on inside send), and other failures are retried briefly here, not for the Web
  // API client's default half hour: the outbox retries with backoff, and a send must not hold up every platform.
  const clientOptions = {
    rejectRateLimitedCalls: true,
    timeout: o.requestTimeoutMs ?? 8_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl.replace(/\/?$/, '/') } : {}),
    ...(o.agent ? { agent: o.agent } : {}),
  };
  const ids = o.botId && o.botUserId ? { botId: o.botId, botUserId: o.botUserId } : {};
  const app =
    o.mode === 'http'
      ? // processBeforeResponse: Slack gets its answer once the listener handed the event over (recorded by the core's
        // inbox, handled after), not before: an event acknowledged and then lost in a crash is never sent again.
        new App({
          token: o.botToken,
          receiver: new HTTPReceiver({ signingSecret: o.signingSecret, port: o.port ?? 3000, logLevel: LogLevel.ERROR, processBeforeResponse: true }),
          clientOptions,
          ...ids,
          logLevel: LogLevel.ERROR,
        })
      : new App({ token: o.botToken, appToken: o.appToken, socketMode: true, signingSecret: o.signingSecret, clientOptions, ...ids, logLevel: LogLevel.ERROR });
  const dmChannels = new Map<string, string>();

  return {
    platform: 'slack',
    async start(onIncoming: (m: Incoming) => Promise<void>) {
      app.message(async ({ message }) => {
        if (message.subtype !== undefined || !('user' in message) || !message.user || typeof message.text !== 'string') return;
        const dm = message.channel_type === 'im';
        if (dm) dmChannels.set(message.user, message.channel);
        await onIncoming({
          platform: 'slack',
          accountId: message.user,
          chat: { platform: 'slack', kind: dm ? 'dm' : 'group', id: dm ? message.user : message.channel },
          text: message.text.replace(/<@[A-Z0-9]+>/g, '').trim(),
          // A retried delivery (X-Slack-Retry-Num) carries the same channel and ts: the core handles it once.
          platformMessageId: `${message.channel}:${message.ts}`,
        });
      });
      app.action(ACK_ACTION, async ({ ack, body, action }) => {
        await ack();
        if (body.type !== 'block_actions' || !('action_id' in action)) return;
        const channel = body.channel?.id ?? '';
        const dm = channel.startsWith('D');
        if (dm) dmChannels.set(body.user.id, channel);
        await onIncoming({
          platform: 'slack',
          accountId: body.user.id,
          chat: { platform: 'slack', kind: dm ? 'dm' : 'group', id: dm ? body.user.id : channel },
          text: '',
          action: action.action_id,
          platformMessageId: `action:${body.user.id}:${action.action_id}:${'action_ts' in action ? action.action_ts : ''}`,
        });
      });
      app.error(async (e) => {
        log(`slack: ${e.message}`);
        // Over HTTP an event that could not be handed over is answered 500, so Slack delivers it again.
        if (o.mode === 'http') throw e;
      });
      await app.start();
      log(`slack: started (${o.mode === 'http' ? `HTTP on port ${o.port ?? 3000}` : 'Socket Mode'})`);
    },
    async send(m: Outgoing) {
      try {
        await post(m);
      } catch (e) {
        throw rateLimited(e) ?? e;
      }
    },
    async stop() {
      await app.stop().catch(() => undefined);
    },
  };

  async function post(m: Outgoing): Promise<void> {
    const channel = m.chat.kind === 'dm' ? await dmChannel(m.chat.id) : m.chat.id;
    await app.client.chat.postMessage({
      channel,
      text: m.text,
      ...(m.buttons?.length
        ? {
            blocks: [
              { type: 'section', text: { type: 'plain_text', text: m.text } },
              {
                type: 'actions',
                elements: m.buttons.map((b) => ({ type: 'button', action_id: b.action, value: b.action, text: { type: 'plain_text', text: b.label } })),
              },
            ],
          }
        : {}),
    });
    if (m.attachment) {
      await app.client.files.uploadV2({ channel_id: channel, file: m.attachment.path, filename: m.attachment.filename, title: m.attachment.filename });
    }
  }

  async function dmChannel(userId: string): Promise<string> {
    const known = dmChannels.get(userId);
    if (known) return known;
    const r = await app.client.conversations.open({ users: userId });
    const id = r.channel?.id;
    if (!id) throw new Error(`slack: could not open a direct message with ${userId}`);
    dmChannels.set(userId, id);
    return id;
  }
}
