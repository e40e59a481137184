/** A fake Slack Web API on 127.0.0.1 (auth.test, conversations.open, chat.postMessage) and a signer for requests to Bolt. */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/clock.js';
import { parseMultipart } from './multipart.js';

export interface Posted {
  channel: string;
  text: string;
  blocks?: { type: string; elements?: { action_id: string }[] }[];
}

export class FakeSlackApi {
  readonly posted: Posted[] = [];
  readonly calls: string[] = [];
  readonly uploads: { id: string; channel: string; title: string; bytes: number }[] = [];
  private pendingBytes = new Map<string, number>();
  apiUrl = '';
  /** chat.postMessage calls answered 429. */
  rejected = 0;
  private tooMany = 0;
  private failing = 0;
  private retryAfter = 1;
  private server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.apiUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `n` chat.postMessage calls answer HTTP 429 with a Retry-After header (seconds), as Slack does. */
  rateLimitNext(n: number, retryAfter = 1): void {
    this.tooMany = n;
    this.retryAfter = retryAfter;
  }

  /** The next `n` chat.postMessage calls answer ok: false with an error nobody plans for (internal_error). */
  failNext(n: number): void {
    this.failing = n;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: Record<string, unknown> = (req.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
    for (const k of ['blocks']) if (typeof body[k] === 'string') body[k] = JSON.parse(body[k] as string);
    const upload = /^\/upload\/(F\d+)/.exec(req.url ?? '');
    if (upload) {
      const type = req.headers['content-type'] ?? '';
      const size = type.startsWith('multipart/') ? (parseMultipart(Buffer.concat(chunks), type).files[0]?.bytes ?? 0) : Buffer.concat(chunks).length;
      this.pendingBytes.set(upload[1]!, size);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('OK');
    }
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
    this.calls.push(method);
    const reply = (payload: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, ...payload }));
    };
    switch (method) {
      case 'auth.test':
        return reply({ user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
      case 'conversations.open':
        return reply({ channel: { id: `D${String(body.users)}` } });
      case 'files.getUploadURLExternal':
        return reply({ upload_url: `${this.apiUrl.replace(/\/api\/$/, '')}/upload/F${this.uploads.length + 1}`, file_id: `F${this.uploads.length + 1}` });
      case 'files.completeUploadExternal': {
        const files = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as { id: string; title?: string }[];
        for (const f of files) this.uploads.push({ id: f.id, channel: String(body.channel_id), title: f.title ?? '', bytes: this.pendingBytes.get(f.id) ?? 0 });
        return reply({ files: files.map((f) => ({ id: f.id })) });
      }
      case 'chat.postMessage':
        if (this.tooMany > 0) {
          this.tooMany--;
          this.rejected++;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.retryAfter) });
          return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        }
        if (this.failing > 0) {
          this.failing--;
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ ok: false, error: 'internal_error' }));
        }
        this.posted.push(body as unknown as Posted);
        return reply({ channel: body.channel, ts: `${this.posted.length}.000` });
      default:
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
    }
  }
}

/** Signs a request body the way Slack does (v0 HMAC-SHA256 over `v0:<ts>:<body>`). */
export function slackHeaders(secret: string, body: string, contentType: string, extra: Record<string, string> = {}): Record<string, string> {
  const ts = String(Math.floor(systemClock.now().getTime() / 1000));
  const sig = `v0=${crypto.createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { 'content-type': contentType, 'x-slack-request-timestamp': ts, 'x-slack-signature': sig, ...extra };
}
