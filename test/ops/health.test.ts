import { afterEach, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { makeApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { healthReport, type HealthSources } from '../../src/ops/health.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { startHealthServer } from '../../src/ops/health-server.js';
import { enqueue } from '../../src/store/outbox.repository.js';

let app: TestApp | undefined;
let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await app?.close();
  server = undefined;
  app = undefined;
});

async function serve(sources: HealthSources) {
  const read = () => healthReport(sources);
  const metrics = createMetrics(read);
  const port = await freePort();
  server = await startHealthServer({ port, host: '127.0.0.1', read, metrics, log: () => {} });
  return { base: `http://127.0.0.1:${port}`, metrics };
}

describe('health and metrics', () => {
  it('healthy: 200 with every figure; metrics in the Prometheus format', async () => {
    app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
    const now = app.clock.now();
    const { base, metrics } = await serve({
      db: app.deps.db,
      clock: app.clock,
      timeZone: 'Asia/Shanghai',
      platforms: () => [{ platform: 'telegram', connected: true }],
      lastTickAt: () => now,
      startedAt: now,
    });
    metrics.observeHandled('telegram', 'ok', 0.042);
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, database: true, platforms: { telegram: true }, lastTickAgeSeconds: 0, deadLettersToday: 0 });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^kcbx_up 1$/m);
    expect(text).toMatch(/^kcbx_platform_connected\{platform="telegram"\} 1$/m);
    expect(text).toMatch(/^kcbx_messages_handled_total\{platform="telegram",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^kcbx_message_handle_seconds_bucket\{le="0.05",platform="telegram"\} 1$/m);
    expect(text).toMatch(/^kcbx_outbox_backlog \d+$/m);
  });

  it('503 naming each problem: a platform down, a stuck duty clock, an old backlog, dead letters today', async () => {
    app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
    const started = app.clock.now();
    await app.deps.db.$transaction((tx) => enqueue(tx, started, { chatRef: 'telegram:42', text: '测试' }));
    const dead = await app.deps.db.$transaction((tx) => enqueue(tx, started, { chatRef: 'telegram:43', text: '测试' }));
    app.clock.set(new Date(started.getTime() + 20 * 60_000));
    await app.deps.db.outbox.update({ where: { id: dead }, data: { status: 'dead', claimedAt: app.clock.now() } });
    const { base } = await serve({
      db: app.deps.db,
      clock: app.clock,
      timeZone: 'Asia/Shanghai',
      platforms: () => [{ platform: 'telegram', connected: false }],
      lastTickAt: () => started,
      startedAt: started,
    });
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(503);
    const body = (await r.json()) as {
      problems: string[];
      outboxBacklog: number;
      oldestDueAgeSeconds: number;
      lastTickAgeSeconds: number;
      deadLettersToday: number;
    };
    expect(body.problems.join(' | ')).toMatch(/telegram not connected/);
    expect(body.problems.join(' | ')).toMatch(/no duty tick for 1200 s/);
    expect(body.problems.join(' | ')).toMatch(/oldest due message waiting/);
    expect(body.outboxBacklog).toBeGreaterThanOrEqual(1);
    expect(body).toMatchObject({ deadLettersToday: 1 });
    expect(body.oldestDueAgeSeconds).toBeGreaterThanOrEqual(1200);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
