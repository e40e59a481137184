/**
 * The HTTP callback mode: DingTalk posts each robot message to the app's message receiving URL with `timestamp` and
 * `sign` headers. A request whose sign is wrong, or whose timestamp is more than an hour off, is refused (401) and
 * never reaches the core. Answers go out through the send APIs, so the callback answers an empty JSON object.
 */
import http from 'node:http';
import type { Clock } from '../../src/clock.js';
import type { Incoming } from '../../src/core/chat-port.js';
import { checkCallbackSign, toIncoming, type RobotCallback } from './inbound.js';

export interface CallbackOptions {
  port: number;
  path: string;
  host?: string;
  appSecret: string;
  clock: Clock;
  log: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startCallbackServer(o: CallbackOptions, onIncoming: (m: Incoming) => Promise<void>): Promise<http.Server> {
  const server = http.createServer((req, res) => void handle(req, res));
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== o.path) return void res.writeHead(404).end();
    const check = checkCallbackSign(req.headers['timestamp'], req.headers['sign'], o.appSecret, o.clock.now().getTime());
    if (check !== 'ok') {
      o.log(`dingtalk: callback refused (${check})`);
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid signature"}');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY_BYTES) return void res.writeHead(413).end();
      chunks.push(c as Buffer);
    }
    let payload: RobotCallback;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RobotCallback;
    } catch {
      return void res.writeHead(400).end();
    }
    const msg = toIncoming(payload);
    try {
      if (msg) await onIncoming(msg);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch (e) {
      o.log(`dingtalk: handler failed: ${e instanceof Error ? e.message : String(e)}`);
      res.writeHead(500).end();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  return server;
}
