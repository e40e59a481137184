/**
 * A fake Telegram Bot API on 127.0.0.1 for the real Telegraf client: getMe, getUpdates (long poll), sendMessage,
 * answerCallbackQuery, setWebhook/deleteWebhook; on demand 429 with retry_after, 5xx, and calls that hang (never
 * answered, not delivered). Every sendMessage is logged with when it arrived and how it was answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseMultipart } from './multipart.js';
import { waitFor } from '../helpers/wait-for.js';

export interface SentMessage {
  chat_id: number | string;
  text: string;
  reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] };
}

/** One sendMessage as the fake received it: `at` in performance.now() milliseconds. */
export interface ReceivedCall {
  at: number;
  chat_id: string;
  text: string;
  answer: 'ok' | '429' | '5xx' | 'hung';
  retryAfter?: number;
}

export class FakeTelegramApi {
  readonly received: ReceivedCall[] = [];
  private hang = 0;
  private hangChat: string | undefined;
  private failing = 0;
  private failStatus = 502;
  private hung: http.ServerResponse[] = [];
  readonly sent: SentMessage[] = [];
  readonly answeredCallbacks: string[] = [];
  readonly files: { method: string; chat_id: number; filename: string; bytes: number }[] = [];
  readonly calls: string[] = [];
  webhook: { url?: string; secret_token?: string } = {};
  private updates: object[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private waiting: (() => void)[] = [];
  private tooMany = 0;
  private server = http.createServer((req, res) => void this.handle(req, res));
  apiRoot = '';

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.waiting.splice(0).forEach((w) => w());
    this.hung.splice(0).forEach((r) => r.destroy());
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `n` sendMessage calls answer 429 with retry_after (seconds). */
  rateLimitNext(n: number, retryAfter = 1): void {
    this.tooMany = n;
    this.retryAfter = retryAfter;
  }

  /** The next `n` sendMessage calls (to `chatId` only, when given) are never answered and not delivered. */
  hangNext(n: number, chatId?: string | number): void {
    this.hang = n;
    this.hangChat = chatId === undefined ? undefined : String(chatId);
  }

  /** The next `n` sendMessage calls answer `status` (a 5xx: the platform is down); Infinity: until told otherwise. */
  failNext(n: number, status = 502): void {
    this.failing = n;
    this.failStatus = status;
  }

  /** sendMessage calls answered 429. */
  rejected = 0;
  private retryAfter = 1;

  /** A user writes in a chat. Returns the update. */
  userSays(from: { id: number; first_name?: string }, chat: { id: number; type: 'private' | 'group' | 'supergroup'; title?: string }, text: string) {
    const update = {
      update_id: this.nextUpdateId++,
      message: { message_id: this.nextMessageId++, date: 1, from: { is_bot: false, first_name: 'T', ...from }, chat, text },
    };
    this.push(update);
    return update;
  }

  /** A user presses an inline button. */
  userPresses(from: { id: number }, chat: { id: number; type: 'private' | 'group' | 'supergroup' }, data: string) {
    const update = {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: `cq${this.nextUpdateId}`,
        chat_instance: '1',
        from: { is_bot: false, first_name: 'T', ...from },
        data,
        message: { message_id: this.nextMessageId++, date: 1, chat, text: '…' },
      },
    };
    this.push(update);
    return update;
  }

  /** Delivers the same message again under a new update id (as after a relay or webhook retry). */
  redeliver(update: object): void {
    this.push({ ...update, update_id: this.nextUpdateId++ });
  }

  /** Resolves once `count` messages have been sent (or rejects after `ms`). */
  async waitForSent(count: number, ms = 5000): Promise<SentMessage[]> {
    await waitFor(() => this.sent.length >= count, { what: () => `${count} messages sent (only ${this.sent.length} were)`, timeoutMs: ms });
    return this.sent;
  }

  private push(update: object): void {
    this.updates.push(update);
    this.waiting.splice(0).forEach((w) => w());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = performance.now(); // before the body is read: as close to the call's arrival as this process sees
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = req.headers['content-type'] ?? '';
    const multipart = type.startsWith('multipart/') ? parseMultipart(Buffer.concat(chunks), type) : undefined;
    const body = multipart ? multipart.fields : ((raw ? JSON.parse(raw) : {}) as Record<string, unknown>);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const reply = (status: number, payload: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (!m || m[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    this.calls.push(method);
    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: { id: 999, is_bot: true, first_name: '控辍保学助手', username: 'kcbx_bot' } });
      case 'deleteWebhook':
        this.webhook = {};
        return reply(200, { ok: true, result: true });
      case 'setWebhook':
        this.webhook = { url: String(body.url), ...(body.secret_token ? { secret_token: String(body.secret_token) } : {}) };
        return reply(200, { ok: true, result: true });
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        this.updates = this.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
        if (this.updates.length === 0 && Number(body.timeout ?? 0) > 0) {
          await new Promise<void>((r) => {
            const t = setTimeout(r, 300);
            this.waiting.push(() => (clearTimeout(t), r()));
          });
        }
        const limit = Number(body.limit ?? 100);
        return reply(200, { ok: true, result: this.updates.slice(0, limit) });
      }
      case 'sendMessage': {
        const call: ReceivedCall = { at: arrived, chat_id: String(body.chat_id), text: String(body.text), answer: 'ok' };
        this.received.push(call);
        if (this.hang > 0 && (this.hangChat === undefined || this.hangChat === call.chat_id)) {
          this.hang--;
          call.answer = 'hung';
          this.hung.push(res);
          return;
        }
        if (this.failing > 0) {
          this.failing--;
          call.answer = '5xx';
          return reply(this.failStatus, { ok: false, error_code: this.failStatus, description: 'Bad Gateway' });
        }
        if (this.tooMany > 0) {
          this.tooMany--;
          this.rejected++;
          call.answer = '429';
          call.retryAfter = this.retryAfter;
          return reply(429, {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${this.retryAfter}`,
            parameters: { retry_after: this.retryAfter },
          });
        }
        // The Bot API takes chat_id as an integer or its decimal string; keep the integer form for assertions.
        this.sent.push({ ...(body as unknown as SentMessage), chat_id: /^-?\d+$/.test(String(body.chat_id)) ? Number(body.chat_id) : String(body.chat_id) });
        return reply(200, { ok: true, result: { message_id: this.nextMessageId++, date: 1, chat: { id: body.chat_id, type: 'private' }, text: body.text } });
      }
      case 'sendPhoto':
      case 'sendDocument':
        this.files.push({ method, chat_id: Number(body.chat_id), filename: multipart?.files[0]?.filename ?? '', bytes: multipart?.files[0]?.bytes ?? 0 });
        return reply(200, { ok: true, result: { message_id: this.nextMessageId++, date: 1, chat: { id: Number(body.chat_id), type: 'private' } } });
      case 'answerCallbackQuery':
        this.answeredCallbacks.push(String(body.callback_query_id));
        return reply(200, { ok: true, result: true });
      default:
        return reply(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
    }
  }
}
