/**
 * WeCom's server API: the access token from /cgi-bin/gettoken kept until shortly before expires_in, one refresh and
 * retry when WeCom says the token is bad or expired, frequency-limit answers as RateLimitedError, and media uploads.
 * Group robots have no token: their webhook key is the credential.
 */
import fs from 'node:fs/promises';
import { RateLimitedError, type Attachment } from '../../src/core/chat-port.js';

/** Invalid or expired access token (40014, 42001) and invalid credential (40001): fetch a new token once and retry. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
/** API call over the limit (45009), too frequent (45011), too many concurrent calls (45033). */
const FREQUENCY_ERRCODES = new Set([45009, 45011, 45033]);
/** What an operator must change for errcodes that are set-up mistakes, not passing failures. */
const HINTS: Record<number, string> = {
  40001: "check WECOM_CORP_ID and the app's WECOM_SECRET",
  60020: "add this server's public IP to the app's 企业可信IP (trusted IPs)",
  81013: "the member is not in the app's 可见范围 (visible range)",
};
/** WeCom gives no retry time; its windows are per minute. */
const RETRY_AFTER_SECONDS = 60;
/** A token is renewed this long before WeCom's expires_in runs out. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/** The WeCom API answered with an error code (not a network failure). */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`wecom ${api}: ${errcode} ${errmsg}${HINTS[errcode] ? ` (${HINTS[errcode]})` : ''}`);
    this.name = 'WecomApiError';
  }
}

export interface WecomApiOptions {
  apiBase: string;
  corpId: string;
  secret: string;
  /** Milliseconds on the injected clock, for the token's lifetime. */
  now: () => number;
  /** The HTTP client: fetch, or one through HTTPS_PROXY (adapters/proxy.ts). */
  fetch?: typeof fetch;
}

type Json = Record<string, unknown>;

export function createWecomApi(o: WecomApiOptions) {
  const base = o.apiBase.replace(/\/+$/, '');
  let token: { value: string; renewAt: number } | undefined;
  let fetching: Promise<string> | undefined;
  const fetch = o.fetch ?? globalThis.fetch;

  async function request(api: string, query: Record<string, string>, init?: RequestInit): Promise<Json> {
    const res = await fetch(`${base}${api}?${new URLSearchParams(query)}`, { ...init, signal: AbortSignal.timeout(15_000) }).catch((e: Error) => {
      // fetch says only "fetch failed"; the reason is in its cause.
      const cause = e.cause as { code?: string; message?: string } | undefined;
      throw new Error(`wecom ${api}: ${cause?.code ?? cause?.message ?? e.message}`, { cause: e });
    });
    if (!res.ok) throw new Error(`wecom ${api}: HTTP ${res.status}`);
    const body = (await res.json()) as Json;
    const errcode = Number(body.errcode ?? 0);
    if (errcode === 0) return body;
    if (FREQUENCY_ERRCODES.has(errcode))
      throw new RateLimitedError(RETRY_AFTER_SECONDS, `rate limited: retry after ${RETRY_AFTER_SECONDS}s (wecom ${api}: ${errcode} ${String(body.errmsg)})`);
    throw new WecomApiError(errcode, String(body.errmsg ?? ''), api);
  }

  async function accessToken(): Promise<string> {
    if (token && o.now() < token.renewAt) return token.value;
    // Concurrent sends share one gettoken call.
    fetching ??= request('/cgi-bin/gettoken', { corpid: o.corpId, corpsecret: o.secret })
      .then((r) => {
        const expiresIn = Number(r.expires_in ?? 7200) * 1000;
        token = { value: String(r.access_token), renewAt: o.now() + Math.max(expiresIn - TOKEN_MARGIN_MS, expiresIn / 2) };
        return token.value;
      })
      .finally(() => (fetching = undefined));
    return fetching;
  }

  /** A call with the access token; a token error drops the cached token and retries once with a new one. */
  async function withToken(api: string, init: () => RequestInit, query: Record<string, string> = {}): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const used = await accessToken();
      try {
        return await request(api, { access_token: used, ...query }, init());
      } catch (e) {
        if (attempt > 0 || !(e instanceof WecomApiError) || !TOKEN_ERRCODES.has(e.errcode)) throw e;
        if (token?.value === used) token = undefined;
      }
    }
  }

  const json = (body: Json) => () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function multipart(a: Attachment): Promise<() => RequestInit> {
    const bytes = await fs.readFile(a.path);
    return () => {
      const form = new FormData();
      form.append('media', new Blob([bytes], { type: a.mimeType }), a.filename);
      return { method: 'POST', body: form };
    };
  }

  return {
    /** Fetches (or reuses) the access token: at start, so a wrong secret is reported at once. */
    accessToken,
    /** POST JSON to an API that takes the access token (message/send, appchat/send, …). */
    post: (api: string, body: Json) => withToken(api, json(body)),
    /** Uploads a temporary file (3 days) and returns its media_id. */
    async upload(type: 'file' | 'image', a: Attachment): Promise<string> {
      const r = await withToken('/cgi-bin/media/upload', await multipart(a), { type });
      return String(r.media_id);
    },
    /** A group robot: POST JSON to its webhook. */
    robotSend: (key: string, body: Json) => request('/cgi-bin/webhook/send', { key }, json(body)()),
    async robotUpload(key: string, a: Attachment): Promise<string> {
      const r = await request('/cgi-bin/webhook/upload_media', { key, type: 'file' }, (await multipart(a))());
      return String(r.media_id);
    },
  };
}

export type WecomApi = ReturnType<typeof createWecomApi>;
