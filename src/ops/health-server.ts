/** `/healthz` (JSON, 503 when something is wrong) and `/metrics` (Prometheus) on a local port for operators. */
import http from 'node:http';
import type { HealthReport } from './health.js';
import type { Metrics } from './metrics.js';

export function startHealthServer(o: {
  port: number;
  host: string;
  read: () => Promise<HealthReport>;
  metrics: Metrics;
  log: (line: string) => void;
}): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const answer = async () => {
      if (url === '/healthz') {
        const r = await o.read();
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(r));
      } else if (url === '/metrics') {
        const body = await o.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': o.metrics.registry.contentType });
        res.end(body);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found: /healthz or /metrics\n');
      }
    };
    answer().catch((e: unknown) => {
      o.log(`health: request failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
