/** A fake Slack Web API on 127.0.0.1 (auth.test, conversations.open, chat.postMessage) and a signer for requests to Bolt. */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../src/clock.js';

export interface Posted {
  channel: string;
  text: string;
  blocks?: { type: string; elements?: { action_id: string }[] }[];
}

export class FakeSlackApi {
  readonly posted: Posted[] = [];
  readonly calls: string[] = [];
  apiUrl = '';
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

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: Record<string, unknown> = (req.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
    for (const k of ['blocks']) if (typeof body[k] === 'string') body[k] = JSON.parse(body[k] as string);
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
      case 'chat.postMessage':
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
