/**
 * A fake DingTalk on 127.0.0.1, speaking the documented protocols:
 * - OAuth: `POST /v1.0/oauth2/accessToken` issues tokens (`expireToken` makes DingTalk forget them early);
 * - robot sends: `oToMessages/batchSend` and `groupMessages/send` check the token header and record each message;
 *   a throttling answer on demand (the per-app QPS code, or the group robot's "send too fast" block);
 * - media: `POST /media/upload` (oapi, multipart) returns a media id;
 * - Stream mode: `POST /v1.0/gateway/connections/open` checks the app's credentials and hands out a WebSocket
 *   endpoint and ticket; robot messages are pushed as CALLBACK frames and the client's ACK frames are recorded;
 * - the HTTP callback mode: `postCallback` signs a robot message as DingTalk does and posts it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseMultipart } from './multipart.js';

export interface SentRobotMessage {
  kind: 'dm' | 'group';
  to: string;
  robotCode: string;
  msgKey: string;
  param: Record<string, string>;
}

export interface AckFrame {
  code: number;
  headers: { messageId: string; contentType: string };
  message: string;
  data: string;
}

export type RobotText = {
  msgId: string;
  text: string;
  conversationType: '1' | '2';
  senderStaffId: string;
  conversationId?: string;
  conversationTitle?: string;
};

/** The JSON DingTalk sends for a robot text message (Stream frame data and HTTP callback body alike). */
export function robotPayload(m: RobotText, robotCode: string): Record<string, unknown> {
  return {
    msgId: m.msgId,
    msgtype: 'text',
    text: { content: ` ${m.text}` },
    conversationType: m.conversationType,
    conversationId: m.conversationId ?? `cid-dm-${m.senderStaffId}`,
    ...(m.conversationTitle ? { conversationTitle: m.conversationTitle } : {}),
    senderId: `$:LWCP_v1:$${m.senderStaffId}`,
    senderStaffId: m.senderStaffId,
    senderNick: m.senderStaffId,
    chatbotUserId: '$:LWCP_v1:$robot',
    robotCode,
    isAdmin: false,
    createAt: 1,
  };
}

/** Signs and posts a robot message to an HTTP callback, as DingTalk does. Returns the HTTP status. */
export async function postCallback(url: string, body: object, appSecret: string, timestampMs: number, sign?: string): Promise<number> {
  const timestamp = String(timestampMs);
  const good = crypto.createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', timestamp, sign: sign ?? good }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

export class FakeDingtalk {
  readonly sent: SentRobotMessage[] = [];
  readonly uploads: { type: string; filename: string; bytes: number }[] = [];
  readonly acks: AckFrame[] = [];
  /** Tokens issued, and the sends refused for a bad token. */
  tokensIssued = 0;
  tokenRefusals = 0;
  streamConnections = 0;
  /** Staff ids that are not members the robot can reach: batchSend answers 200 and lists them as invalid. */
  readonly unknownUsers = new Set<string>();
  apiBase = '';
  private validTokens = new Set<string>();
  private tickets = new Set<string>();
  private throttle: { n: number; kind: 'qps' | 'group' } = { n: 0, kind: 'qps' };
  private failing = 0;
  private nextFrame = 1;
  private server = http.createServer((req, res) => void this.handle(req, res));
  private wss = new WebSocketServer({ noServer: true });

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly expireIn = 7200,
  ) {
    this.server.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url ?? '', 'http://x').searchParams.get('ticket') ?? '';
      if (!this.tickets.delete(ticket)) return void socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.streamConnections++;
        ws.on('message', (data: Buffer) => this.acks.push(JSON.parse(data.toString('utf8')) as AckFrame));
        ws.send(
          JSON.stringify({
            specVersion: '1.0',
            type: 'SYSTEM',
            headers: { topic: 'CONNECTED', messageId: 'sys-0', contentType: 'application/json', time: '1' },
            data: '{}',
          }),
        );
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.apiBase = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get gatewayUrl(): string {
    return `${this.apiBase}/v1.0/gateway/connections/open`;
  }

  /** The gateway drops every Stream connection (as DingTalk does on a redeploy); clients must reconnect. */
  dropConnections(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /** DingTalk forgets every token it issued (as when one expires early or the secret is reset). */
  expireTokens(): void {
    this.validTokens.clear();
  }

  /** The next `n` robot sends are refused: `qps` (403, the per-app QPS code) or `group` ("send too fast", 10 minutes). */
  throttleNext(n: number, kind: 'qps' | 'group'): void {
    this.throttle = { n, kind };
  }

  /** The next `n` robot sends answer HTTP 500 with DingTalk's generic server error. */
  failNext(n: number): void {
    this.failing = n;
  }

  /** Pushes a robot message over the Stream connection as a CALLBACK frame; returns the frame's messageId. */
  push(m: RobotText): string {
    const messageId = `frame-${this.nextFrame++}`;
    const frame = {
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: { appId: 'app-1', connectionId: 'conn-1', contentType: 'application/json', messageId, time: '1', topic: '/v1.0/im/bot/messages/get' },
      data: JSON.stringify(robotPayload(m, this.clientId)),
    };
    const clients = [...this.wss.clients];
    if (clients.length === 0) throw new Error('no Stream client is connected');
    for (const ws of clients) (ws as WebSocket).send(JSON.stringify(frame));
    return messageId;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '', this.apiBase);
    const reply = (status: number, payload: object) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    const json = () => JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const tokenOk = (t: string | undefined | null) => {
      if (t && this.validTokens.has(t)) return true;
      this.tokenRefusals++;
      return false;
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /v1.0/oauth2/accessToken': {
        const b = json();
        if (b.appKey !== this.clientId || b.appSecret !== this.clientSecret)
          return reply(400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
        const token = `tok-${++this.tokensIssued}-${crypto.randomBytes(4).toString('hex')}`;
        this.validTokens.add(token);
        return reply(200, { accessToken: token, expireIn: this.expireIn });
      }
      case 'POST /v1.0/robot/oToMessages/batchSend':
      case 'POST /v1.0/robot/groupMessages/send': {
        if (!tokenOk(req.headers['x-acs-dingtalk-access-token'] as string | undefined))
          return reply(401, { code: 'InvalidAuthentication', message: '不合法的access_token' });
        if (this.throttle.n > 0) {
          this.throttle.n--;
          if (this.throttle.kind === 'qps')
            return reply(403, { code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', message: '应用调用该接口的QPS超过限制' });
          return reply(400, { code: '130101', message: 'send too fast, exceed 20 times per minute' });
        }
        if (this.failing > 0) {
          this.failing--;
          return reply(500, { code: 'ServiceUnavailable', message: '服务暂时不可用' });
        }
        const b = json();
        const group = url.pathname.endsWith('groupMessages/send');
        const userIds = (b.userIds ?? []) as string[];
        if (!group && userIds.length !== 1) return reply(400, { code: 'invalidParameter', message: 'the adapter sends to one user at a time' });
        if (!group && this.unknownUsers.has(userIds[0]!))
          return reply(200, { processQueryKey: 'pq-none', invalidStaffIdList: userIds, flowControlledStaffIdList: [] });
        this.sent.push({
          kind: group ? 'group' : 'dm',
          to: group ? String(b.openConversationId) : userIds[0]!,
          robotCode: String(b.robotCode),
          msgKey: String(b.msgKey),
          param: JSON.parse(String(b.msgParam)) as Record<string, string>,
        });
        return reply(
          200,
          group
            ? { processQueryKey: `pq-${this.sent.length}` }
            : { processQueryKey: `pq-${this.sent.length}`, invalidStaffIdList: [], flowControlledStaffIdList: [] },
        );
      }
      case 'POST /media/upload': {
        if (!tokenOk(url.searchParams.get('access_token'))) return reply(200, { errcode: 40014, errmsg: '不合法的access_token' });
        const form = parseMultipart(Buffer.concat(chunks), req.headers['content-type'] ?? '');
        const file = form.files.find((f) => f.field === 'media');
        if (!file) return reply(200, { errcode: 40004, errmsg: '不合法的媒体文件类型' });
        this.uploads.push({ type: url.searchParams.get('type') ?? '', filename: file.filename, bytes: file.bytes });
        return reply(200, { errcode: 0, errmsg: 'ok', type: url.searchParams.get('type'), media_id: `@media-${this.uploads.length}`, created_at: 1 });
      }
      case 'POST /v1.0/gateway/connections/open': {
        const b = json();
        if (b.clientId !== this.clientId || b.clientSecret !== this.clientSecret)
          return reply(401, { code: 'Unauthorized', message: 'invalid clientId or clientSecret' });
        const subs = (b.subscriptions ?? []) as { type: string; topic: string }[];
        if (!subs.some((s) => s.type === 'CALLBACK' && s.topic === '/v1.0/im/bot/messages/get'))
          return reply(400, { code: 'invalidSubscriptions', message: 'no robot subscription' });
        const ticket = crypto.randomUUID();
        this.tickets.add(ticket);
        return reply(200, { endpoint: `${this.apiBase.replace(/^http/, 'ws')}/connect`, ticket });
      }
      default:
        return reply(404, { code: 'NotFound', message: `${req.method} ${url.pathname}` });
    }
  }
}
