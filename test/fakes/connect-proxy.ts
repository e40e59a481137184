/** An HTTPS_PROXY on 127.0.0.1: answers CONNECT by tunnelling to the target (only 127.0.0.1), and records each target. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class FakeProxy {
  /** host:port of every CONNECT, in order. */
  readonly tunnels: string[] = [];
  url = '';
  private sockets = new Set<net.Socket>();
  private server = http.createServer((_req, res) => res.writeHead(405).end());

  constructor() {
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? '';
      this.tunnels.push(target);
      const [host, port] = target.split(':');
      if (host !== '127.0.0.1') return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
