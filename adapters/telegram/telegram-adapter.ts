/**
 * Telegram through Telegraf: long polling by default, or a webhook whose secret-token header is checked.
 * Translates updates into Incoming and Outgoing into sendMessage (buttons as inline keyboards). No domain rules.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { Telegraf, TelegramError } from 'telegraf';
import { isImage, type ChatAdapter, type Incoming, type Outgoing, RateLimitedError } from '../../src/core/chat-port.js';

export interface TelegramOptions {
  token: string;
  /** Bot API root: the public one, a self-hosted telegram-bot-api server, or a relay. */
  apiRoot?: string;
  agent?: http.Agent;
  /** Webhook mode: Telegram posts to `<domain><path>`, forwarded to this port; requests must carry the secret token. */
  webhook?: { domain: string; path: string; port: number; host?: string; secretToken: string };
  log?: (line: string) => void;
  /**
   * Each Bot API call of a send is aborted after this long (default 12 s: a text and a file stay under the default
   * send timeout of 30 s). Telegraf's own wait is 500 s, longer than the outbox lease.
   */
  callTimeoutMs?: number;
}

/**
 * Telegraf does not retry a 429: it throws a TelegramError with error_code 429 and parameters.retry_after. That
 * becomes a RateLimitedError, and the dispatcher pauses Telegram for that long. (A 429 on an attachment after its
 * text went out means the text goes again with the retry: the outbox knows messages, not their parts.)
 */
export function rateLimited(e: unknown): RateLimitedError | undefined {
  if (!(e instanceof TelegramError) || e.code !== 429) return undefined;
  return new RateLimitedError(e.parameters?.retry_after ?? 5, `rate limited: retry after ${e.parameters?.retry_after ?? 5}s (${e.description})`);
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const MAX_UPDATE_BYTES = 1 << 20;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPDATE_BYTES) throw new Error('update too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function chatKind(type: string): 'dm' | 'group' {
  return type === 'private' ? 'dm' : 'group';
}

export function createTelegramAdapter(opts: TelegramOptions): ChatAdapter {
  const log = opts.log ?? (() => undefined);
  const bot = new Telegraf(opts.token, {
    telegram: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), ...(opts.agent ? { agent: opts.agent } : {}) },
    handlerTimeout: 60_000,
  });
  let launched: Promise<void> | undefined;
  let server: http.Server | undefined;
  const callTimeoutMs = opts.callTimeoutMs ?? 12_000;
  /** One Bot API call, aborted when it takes longer than callTimeoutMs. */
  const call = async <M extends 'sendMessage' | 'sendPhoto' | 'sendDocument'>(method: M, payload: Parameters<typeof bot.telegram.callApi<M>>[1]) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), callTimeoutMs);
    try {
      // Telegraf types the signal with the abort-controller shim; node-fetch takes Node's own AbortSignal
      return await bot.telegram.callApi(method, payload, {
        signal: abort.signal as unknown as NonNullable<Parameters<typeof bot.telegram.callApi>[2]>['signal'],
      });
    } catch (e) {
      if (abort.signal.aborted) throw new Error(`telegram: ${method} got no answer within ${callTimeoutMs} ms`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  /**
   * One webhook request: the update goes through the handlers (which hand it to the core's inbox: recorded, not yet
   * handled) and Telegram gets 200 as soon as that is done, or 500 when it failed so that it delivers the update again.
   * Telegraf's own webhookCallback would answer 200 even then (its error handler swallows the error).
   */
  async function answerWebhook(req: http.IncomingMessage, res: http.ServerResponse, failed: Set<number>): Promise<void> {
    let update: { update_id: number };
    try {
      update = JSON.parse(await readBody(req)) as { update_id: number };
    } catch {
      return void res.writeHead(400).end();
    }
    await bot.handleUpdate(update as Parameters<typeof bot.handleUpdate>[0]).catch(() => failed.add(update.update_id));
    res.writeHead(failed.delete(update.update_id) ? 500 : 200).end();
  }

  return {
    platform: 'telegram',
    async start(onIncoming: (m: Incoming) => Promise<void>) {
      // In webhook mode an update whose hand-over failed is answered 500, so Telegram delivers it again.
      const failed = new Set<number>();
      const deliver = async (updateId: number, m: Incoming) => {
        try {
          await onIncoming(m);
        } catch (e) {
          if (opts.webhook) failed.add(updateId);
          throw e;
        }
      };
      bot.on('message', async (ctx) => {
        const msg = ctx.message;
        if (!('text' in msg) || msg.from.is_bot) return;
        await deliver(ctx.update.update_id, {
          platform: 'telegram',
          accountId: String(msg.from.id),
          chat: { platform: 'telegram', kind: chatKind(msg.chat.type), id: String(msg.chat.id) },
          ...('title' in msg.chat ? { chatTitle: msg.chat.title } : {}),
          text: msg.text,
          platformMessageId: `${msg.chat.id}:${msg.message_id}`,
        });
      });
      bot.on('callback_query', async (ctx) => {
        const q = ctx.callbackQuery;
        // Answered at once, not awaited, so the user's button stops spinning and the update is not held up by
        // the Bot API; the reply itself comes as a message.
        void ctx.answerCbQuery().catch((e: Error) => log(`telegram: answerCallbackQuery failed: ${e.message}`));
        if (!('data' in q) || !q.message) return;
        await deliver(ctx.update.update_id, {
          platform: 'telegram',
          accountId: String(q.from.id),
          chat: { platform: 'telegram', kind: chatKind(q.message.chat.type), id: String(q.message.chat.id) },
          text: '',
          action: q.data,
          platformMessageId: `cq:${q.id}`,
        });
      });
      bot.catch((err) => log(`telegram: handler failed: ${err instanceof Error ? err.message : String(err)}`));
      const me = await bot.telegram.getMe();
      bot.botInfo = me;
      log(`telegram: connected as @${me.username}${opts.webhook ? ' (webhook)' : ' (long polling)'}`);
      if (opts.webhook) {
        const hook = opts.webhook;
        server = http.createServer((req, res) => {
          const path = (req.url ?? '').split('?')[0];
          if (req.method !== 'POST' || path !== hook.path) return void res.writeHead(404).end();
          // Only Telegram knows the secret it was given with setWebhook: anything else is unauthorised.
          if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], hook.secretToken)) return void res.writeHead(401).end();
          void answerWebhook(req, res, failed);
        });
        await new Promise<void>((r) => server!.listen(hook.port, hook.host ?? '0.0.0.0', r));
        await bot.telegram.setWebhook(`${hook.domain.replace(/\/$/, '')}${hook.path}`, { secret_token: hook.secretToken });
        launched = new Promise<void>((r) => server!.once('close', () => r()));
      } else {
        launched = bot.launch({ dropPendingUpdates: false });
      }
      launched.catch((e: Error) => log(`telegram: stopped with an error: ${e.message}`));
    },
    async send(m: Outgoing) {
      try {
        await call('sendMessage', {
          chat_id: m.chat.id,
          text: m.text,
          ...(m.buttons?.length ? { reply_markup: { inline_keyboard: [m.buttons.map((b) => ({ text: b.label, callback_data: b.action }))] } } : {}),
        });
        const a = m.attachment;
        if (a) {
          const file = { source: a.path, filename: a.filename };
          await (isImage(a) ? call('sendPhoto', { chat_id: m.chat.id, photo: file }) : call('sendDocument', { chat_id: m.chat.id, document: file }));
        }
      } catch (e) {
        throw rateLimited(e) ?? e;
      }
    },
    async stop() {
      if (!launched) return;
      if (server) {
        server.closeAllConnections();
        server.close();
        server = undefined;
      } else bot.stop('shutdown');
      await launched.catch(() => undefined);
      launched = undefined;
    },
  };
}
