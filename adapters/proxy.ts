/**
 * HTTPS_PROXY for the platforms' API calls. Telegram and Slack take an http.Agent (https-proxy-agent); WeCom and
 * DingTalk call their APIs with fetch, whose built-in client (undici) takes no http.Agent, so `proxiedFetch` is a
 * fetch that sends the same request through node:http(s) with that agent (a CONNECT tunnel through the proxy, for
 * https and http API bases alike). Loaded only when a proxy is set.
 */
import http from 'node:http';
import https from 'node:https';

export type Fetch = typeof fetch;

export async function proxyAgent(proxy: string): Promise<http.Agent> {
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  return new HttpsProxyAgent(proxy);
}

export async function proxiedFetch(proxy: string): Promise<Fetch> {
  const agent = await proxyAgent(proxy);
  return async (input, init) => {
    // Request does the encoding fetch would: JSON strings, FormData as multipart with its boundary header.
    const req = new Request(input, init);
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    const url = new URL(req.url);
    const headers: Record<string, string> = Object.fromEntries(req.headers);
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const r = (url.protocol === 'https:' ? https : http).request(url, { method: req.method, headers, agent, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const one of [v ?? []].flat()) h.append(k, one);
          const status = res.statusCode ?? 502;
          resolve(
            new Response([101, 204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: h }),
          );
        });
      });
      // fetch says "fetch failed" with the reason in its cause; so does this
      r.on('error', (e) => reject(new TypeError('fetch failed', { cause: e })));
      r.end(body);
    });
  };
}
