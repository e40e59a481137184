/**
 * The callback URL WeCom calls. GET is the URL check when the callback is saved: signature over echostr, decrypt it,
 * answer the plaintext. POST is a message: signature over <Encrypt>, decrypt, answer an empty 200 at once (WeCom waits
 * 5 seconds, then retries), and hand the plaintext XML on. A wrong signature or another company's message gets 403.
 * A group robot's callback (群机器人回调, in beta at WeCom) uses the same scheme with an empty receive id: give the robot
 * this URL and the app's Token and EncodingAESKey, and its group's messages arrive here too.
 */
import http from 'node:http';
import { openCiphertext, signatureOk, type SignedQuery } from './callback-crypto.js';
import { readXml } from './xml.js';

export interface CallbackOptions {
  port: number;
  host: string;
  path: string;
  token: string;
  aesKey: string;
  corpId: string;
  /** The decrypted message XML, and whether a group robot's callback sent it; called after the answer has gone. */
  /** Hands a decrypted message over; the callback is answered 200 once this resolves, 500 if it rejects. */
  onMessage: (xml: string, fromRobot: boolean) => Promise<void>;
  log: (line: string) => void;
}

const MAX_BODY = 1 << 20;

function signedQuery(url: URL): SignedQuery | undefined {
  const q = { msg_signature: url.searchParams.get('msg_signature'), timestamp: url.searchParams.get('timestamp'), nonce: url.searchParams.get('nonce') };
  return q.msg_signature && q.timestamp && q.nonce ? (q as SignedQuery) : undefined;
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startCallbackServer(o: CallbackOptions): Promise<http.Server> {
  /** The plaintext of a signed ciphertext, or why not (as an HTTP status). */
  const open = (q: SignedQuery | undefined, ciphertext: string | undefined): { message: string; fromRobot: boolean } | number => {
    if (!q || !ciphertext) return 400;
    if (!signatureOk(o.token, q, ciphertext)) return 403;
    try {
      return openCiphertext(o.aesKey, o.corpId, ciphertext);
    } catch {
      return 403;
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://callback');
    if (url.pathname !== o.path) return void res.writeHead(404).end();
    const q = signedQuery(url);
    if (req.method === 'GET') {
      // echostr is base64: a '+' that arrived unescaped reads as a space.
      const plain = open(q, url.searchParams.get('echostr')?.replace(/ /g, '+'));
      if (typeof plain === 'number') return void res.writeHead(plain).end();
      return void res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(plain.message);
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    void readBody(req).then(
      (body) => {
        let ciphertext: string | undefined;
        try {
          ciphertext = body === undefined ? undefined : readXml(body).Encrypt;
        } catch {
          ciphertext = undefined;
        }
        const plain = open(q, ciphertext);
        if (typeof plain === 'number') {
          if (plain === 403) o.log('wecom: callback refused (bad signature or not for this company)');
          return void res.writeHead(plain).end();
        }
        // Answered once the message is handed over (in `npm start`: recorded in the inbox), so a crash before that
        // leaves WeCom without its 200 and it delivers the message again; a failed hand-over is answered 500 likewise.
        o.onMessage(plain.message, plain.fromRobot).then(
          () => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(''),
          (e: unknown) => {
            o.log(`wecom: message not taken, WeCom will send it again: ${e instanceof Error ? e.message : String(e)}`);
            res.writeHead(500).end();
          },
        );
      },
      (e: Error) => o.log(`wecom: callback request failed: ${e.message}`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return server;
}
