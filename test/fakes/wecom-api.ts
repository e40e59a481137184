/**
 * A fake WeCom server on 127.0.0.1. WeCom's API side: gettoken (tokens it can expire), message/send, appchat/send,
 * media/upload, group robot webhook send/upload_media, and frequency-limit errcodes on demand. WeCom's callback side:
 * the URL check (GET with an encrypted echostr) and encrypted, signed message POSTs, with the same Token and
 * EncodingAESKey as the app, through the official `@wecom/crypto`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encrypt, getSignature } from '@wecom/crypto';
import { parseMultipart } from './multipart.js';
import { waitFor } from '../helpers/wait-for.js';

export interface WecomApp {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  aesKey: string;
}

/** One message accepted by the fake: which API, and the JSON body (robot messages carry their key). */
export interface WecomSent {
  api: 'message' | 'appchat' | 'robot';
  robotKey?: string;
  body: {
    touser?: string;
    chatid?: string;
    agentid?: number;
    msgtype: string;
    text?: { content: string };
    template_card?: { card_type: string; task_id: string; main_title: { title: string }; button_list: { text: string; key: string }[] };
    file?: { media_id: string };
    image?: { media_id: string };
  };
}

/** `<xml><A><![CDATA[…]]></A>…</xml>`: strings as CDATA, numbers as text, as WeCom writes them. */
export function wecomXml(fields: Record<string, string | number>): string {
  const cdata = (v: string) => `<![CDATA[${v.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
  return `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? v : cdata(v)}</${k}>`)
    .join('')}</xml>`;
}

export class FakeWecomApi {
  readonly sent: WecomSent[] = [];
  /** update_template_card calls: a pressed card's button replaced by a label. */
  readonly cardUpdates: { userids: string[]; response_code: string; replace_name: string }[] = [];
  readonly uploads: { via: 'app' | 'robot'; type: string; filename: string; bytes: number }[] = [];
  /** gettoken calls answered with a token. */
  tokensIssued = 0;
  /** Calls answered with a frequency-limit errcode. */
  rejected = 0;
  apiBase = '';
  /** Whether the caller's IP is in the app's 企业可信IP list; sending from elsewhere answers 60020. */
  trustedIp = true;
  private live = new Set<string>();
  private expired = new Set<string>();
  private limitNextCalls = 0;
  private limitErrcode = 45009;
  private seq = 0;
  /** Response codes of card presses not yet used (each may update its card once). */
  private responseCodes = new Set<string>();
  private server = http.createServer((req, res) => void this.handle(req, res));

  constructor(readonly app: WecomApp) {}

  async start(): Promise<this> {
    // Node's 5 s default races the client's idle sockets when a test's synchronous SQLite work holds the event loop
    // (the client reuses a socket the server is closing: ECONNRESET). WeCom's own keep-alive is longer.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.apiBase = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Every token issued so far expires: calls with one answer 42001. */
  expireTokens(): void {
    for (const t of this.live) this.expired.add(t);
    this.live.clear();
  }

  /** The next `n` sending calls answer this frequency-limit errcode. */
  limitNext(n: number, errcode = 45009): void {
    this.limitNextCalls = n;
    this.limitErrcode = errcode;
  }

  async waitForSent(count: number, ms = 5000): Promise<WecomSent[]> {
    await waitFor(() => this.sent.length >= count, { what: () => `${count} WeCom messages sent (only ${this.sent.length} were)`, timeoutMs: ms });
    return this.sent;
  }

  // ── WeCom's side of the callback ──

  /** The URL check WeCom makes when the callback is saved: returns the status, the answer and the expected echo. */
  async verifyUrl(callbackUrl: string, opts: { token?: string } = {}): Promise<{ status: number; body: string; expected: string }> {
    const expected = crypto.randomBytes(9).toString('hex');
    const echostr = encrypt(this.app.aesKey, expected, this.app.corpId);
    const res = await fetch(`${callbackUrl}?${this.signed(echostr, opts.token)}&echostr=${encodeURIComponent(echostr)}`);
    return { status: res.status, body: await res.text(), expected };
  }

  /** Encrypts and signs a message XML as WeCom does, and POSTs it to the app's callback URL. */
  async push(callbackUrl: string, xml: string, opts: { token?: string; receiveId?: string } = {}): Promise<{ status: number; body: string }> {
    const ciphertext = encrypt(this.app.aesKey, xml, opts.receiveId ?? this.app.corpId);
    const envelope = wecomXml({ ToUserName: this.app.corpId, AgentID: String(this.app.agentId), Encrypt: ciphertext });
    const res = await fetch(`${callbackUrl}?${this.signed(ciphertext, opts.token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: envelope,
    });
    return { status: res.status, body: await res.text() };
  }

  /** A member's text to the app (with `chatId`: in an app group chat). */
  textXml(from: string, content: string, opts: { chatId?: string; msgId?: string } = {}): string {
    const n = ++this.seq;
    return wecomXml({
      ToUserName: this.app.corpId,
      FromUserName: from,
      CreateTime: 1_763_600_000 + n,
      MsgType: 'text',
      Content: content,
      MsgId: opts.msgId ?? `7${String(n).padStart(18, '0')}`,
      AgentID: this.app.agentId,
      ...(opts.chatId ? { ChatId: opts.chatId } : {}),
    });
  }

  /** A group robot's callback (receive id ''): a member @-mentions the robot in its group, or writes to it alone. */
  robotTextXml(robotKey: string, from: string, content: string, chatType: 'group' | 'single' = 'group'): string {
    const n = ++this.seq;
    const xml = wecomXml({
      WebhookUrl: `${this.apiBase}/cgi-bin/webhook/send?key=${robotKey}`,
      MsgId: `CIGABBC${n}`,
      ChatId: `wrkRobotChat${robotKey.slice(0, 4)}`,
      ChatType: chatType,
      MsgType: 'text',
    });
    return xml.replace('</xml>', `<From><UserId>${from}</UserId></From><Text><Content><![CDATA[${content}]]></Content></Text></xml>`);
  }

  /** A member presses a button of a template card the app sent. */
  cardPressXml(from: string, taskId: string, key: string): string {
    const n = ++this.seq;
    this.responseCodes.add(`rc${n}`);
    return wecomXml({
      ToUserName: this.app.corpId,
      FromUserName: from,
      CreateTime: 1_763_600_000 + n,
      MsgType: 'event',
      Event: 'template_card_event',
      EventKey: key,
      TaskId: taskId,
      CardType: 'button_interaction',
      ResponseCode: `rc${n}`,
      AgentID: this.app.agentId,
    });
  }

  private signed(ciphertext: string, token = this.app.token): string {
    const timestamp = String(1_763_600_000 + ++this.seq);
    const nonce = crypto.randomBytes(5).toString('hex');
    return new URLSearchParams({ msg_signature: getSignature(token, timestamp, nonce, ciphertext), timestamp, nonce }).toString();
  }

  // ── WeCom's API ──

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.apiBase);
    const q = (k: string) => url.searchParams.get(k) ?? '';
    const reply = (payload: object): void =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...payload }));
    const type = req.headers['content-type'] ?? '';
    const raw = Buffer.concat(chunks);
    const body = type.startsWith('application/json') ? (JSON.parse(raw.toString('utf8')) as WecomSent['body']) : undefined;

    if (url.pathname === '/cgi-bin/gettoken') {
      if (q('corpid') !== this.app.corpId || q('corpsecret') !== this.app.secret) return reply({ errcode: 40001, errmsg: 'invalid credential' });
      const token = crypto.randomBytes(16).toString('hex');
      this.live.add(token);
      this.tokensIssued++;
      return reply({ access_token: token, expires_in: 7200 });
    }
    if (url.pathname.startsWith('/cgi-bin/webhook/')) {
      if (!/^[\w-]{8,}$/.test(q('key'))) return reply({ errcode: 93000, errmsg: 'invalid webhook url' });
      if (this.limited()) return reply({ errcode: this.limitErrcode, errmsg: 'api freq out of limit' });
      if (url.pathname === '/cgi-bin/webhook/upload_media') return reply({ type: 'file', media_id: this.upload('robot', raw, type), created_at: '1' });
      this.sent.push({ api: 'robot', robotKey: q('key'), body: body! });
      return reply({});
    }
    const token = q('access_token');
    if (this.expired.has(token)) return reply({ errcode: 42001, errmsg: 'access_token expired' });
    if (!this.live.has(token)) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
    if (url.pathname === '/cgi-bin/media/upload') return reply({ type: q('type'), media_id: this.upload('app', raw, type, q('type')), created_at: '1' });
    if (url.pathname === '/cgi-bin/message/update_template_card') {
      const b = JSON.parse(raw.toString('utf8')) as { userids: string[]; response_code: string; button?: { replace_name: string } };
      if (!this.responseCodes.delete(b.response_code)) return reply({ errcode: 40002, errmsg: 'invalid response_code' });
      this.cardUpdates.push({ userids: b.userids, response_code: b.response_code, replace_name: b.button?.replace_name ?? '' });
      return reply({ invaliduser: [] });
    }
    if (url.pathname === '/cgi-bin/message/send' || url.pathname === '/cgi-bin/appchat/send') {
      if (!this.trustedIp) return reply({ errcode: 60020, errmsg: 'not allow to access from your ip' });
      if (this.limited()) return reply({ errcode: this.limitErrcode, errmsg: 'api freq out of limit' });
      if (url.pathname === '/cgi-bin/message/send' && body?.agentid !== this.app.agentId) return reply({ errcode: 40056, errmsg: 'invalid agentid' });
      this.sent.push({ api: url.pathname === '/cgi-bin/message/send' ? 'message' : 'appchat', body: body! });
      return reply(url.pathname === '/cgi-bin/message/send' ? { invaliduser: '', msgid: `m${this.sent.length}` } : {});
    }
    return reply({ errcode: 404, errmsg: `no such api ${url.pathname}` });
  }

  private limited(): boolean {
    if (this.limitNextCalls <= 0) return false;
    this.limitNextCalls--;
    this.rejected++;
    return true;
  }

  private upload(via: 'app' | 'robot', raw: Buffer, contentType: string, type = 'file'): string {
    const file = parseMultipart(raw, contentType).files.find((f) => f.field === 'media');
    this.uploads.push({ via, type, filename: file?.filename ?? '', bytes: file?.bytes ?? 0 });
    return `media${this.uploads.length}`;
  }
}
