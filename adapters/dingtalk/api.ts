/**
 * DingTalk's server API for the robot: the app access token (cached until shortly before it expires, fetched again
 * once when DingTalk calls it invalid or expired), JSON calls on api.dingtalk.com and the media upload on
 * oapi.dingtalk.com. Throttling answers become RateLimitedError; other refusals DingtalkApiError.
 */
import fs from 'node:fs/promises';
import type { Clock } from '../../src/clock.js';
import { RateLimitedError } from '../../src/core/chat-port.js';

export interface ApiOptions {
  apiBase: string;
  oapiBase: string;
  clientId: string;
  clientSecret: string;
  clock: Clock;
  /** The HTTP client: fetch, or one through HTTPS_PROXY (adapters/proxy.ts). */
  fetch?: typeof fetch;
}

/** DingTalk refused a call (not a throttle): the status, its error code and message. */
export class DingtalkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`dingtalk: ${code || status}: ${message}`);
    this.name = 'DingtalkApiError';
  }
}

/** Renew this long before DingTalk's expireIn runs out, so a token never dies in flight. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** The group robot's block after more than 20 messages a minute. */
export const GROUP_BLOCK_SECONDS = 600;

/** Token errors: the new API's InvalidAuthentication (HTTP 401), the old API's 40014 (invalid) and 42001 (expired). */
function tokenRejected(status: number, code: string): boolean {
  return status === 401 || code === 'InvalidAuthentication' || code === '40014' || code === '42001';
}

/**
 * Throttling: HTTP 429; the per-app QPS codes (new API `Forbidden.AccessDenied.QpsLimitForApi` /
 * `…QpsLimitForAppkeyAndApi`, old API 90018) for about a second; a robot over 20 messages a minute ("send too
 * fast", errcode 130101 / 410100) is blocked for ten minutes.
 */
export function throttled(status: number, code: string, message: string, retryAfter: string | null): RateLimitedError | undefined {
  if (code === '130101' || code === '410100' || /send too fast|发送速度太快/i.test(message)) {
    return new RateLimitedError(GROUP_BLOCK_SECONDS, `rate limited: retry after ${GROUP_BLOCK_SECONDS}s (${message || code})`);
  }
  if (status === 429 || /QpsLimit|Throttling/i.test(code) || code === '90018') {
    const s = Number(retryAfter);
    const seconds = Number.isFinite(s) && s > 0 ? Math.ceil(s) : 1;
    return new RateLimitedError(seconds, `rate limited: retry after ${seconds}s (${code || status})`);
  }
  return undefined;
}

export class DingtalkApi {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  /** How many tokens were fetched (for the operator's log and the tests). */
  tokensFetched = 0;

  private readonly fetch: typeof fetch;

  constructor(private readonly o: ApiOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  async accessToken(): Promise<string> {
    if (this.token && this.o.clock.now().getTime() < this.token.expiresAt) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const res = await this.fetch(new URL('/v1.0/oauth2/accessToken', this.o.apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: this.o.clientId, appSecret: this.o.clientSecret }),
    });
    const body = (await res.json().catch(() => ({}))) as { accessToken?: string; expireIn?: number; code?: string; message?: string };
    if (!res.ok || !body.accessToken) throw new DingtalkApiError(res.status, body.code ?? '', `no access token (${body.message ?? res.statusText})`);
    this.tokensFetched++;
    const lifetime = (body.expireIn ?? 7200) * 1000;
    this.token = { value: body.accessToken, expiresAt: this.o.clock.now().getTime() + Math.max(lifetime - TOKEN_MARGIN_MS, lifetime / 2) };
    return body.accessToken;
  }

  /** A JSON call on api.dingtalk.com with the token header; an invalid or expired token is renewed once. */
  async call<T>(path: string, payload: object): Promise<T> {
    return this.withToken((token) =>
      this.fetch(new URL(path, this.o.apiBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
        body: JSON.stringify(payload),
      }),
    );
  }

  /** Uploads a file to DingTalk's media store (oapi `media/upload`); returns its media id. */
  async uploadMedia(file: { path: string; filename: string; mimeType: string }, type: 'image' | 'file'): Promise<string> {
    const bytes = await fs.readFile(file.path);
    const r = await this.withToken<{ media_id?: string }>((token) => {
      const form = new FormData();
      form.append('media', new Blob([bytes], { type: file.mimeType }), file.filename);
      const url = new URL('/media/upload', this.o.oapiBase);
      url.search = new URLSearchParams({ access_token: token, type }).toString();
      return this.fetch(url, { method: 'POST', body: form });
    });
    if (!r.media_id) throw new DingtalkApiError(200, '', 'media upload answered without media_id');
    return r.media_id;
  }

  private async withToken<T>(request: (token: string) => Promise<Response>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const res = await request(token);
      const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; errcode?: number; errmsg?: string };
      const code = body.code ?? (body.errcode ? String(body.errcode) : '');
      const message = body.message ?? body.errmsg ?? '';
      if (res.ok && !body.errcode) return body as T;
      if (tokenRejected(res.status, code) && attempt === 0) {
        if (this.token?.value === token) this.token = undefined;
        continue;
      }
      throw throttled(res.status, code, message, res.headers.get('retry-after')) ?? new DingtalkApiError(res.status, code, message || res.statusText);
    }
  }
}
