/**
 * Prometheus metrics (prom-client): the health figures as gauges, read at each scrape, plus handled messages and
 * their latency per platform.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HealthReport } from './health.js';

export interface Metrics {
  registry: Registry;
  /** Times one inbound message's handling. */
  observeHandled(platform: string, outcome: 'ok' | 'error', seconds: number): void;
}

export function createMetrics(read: () => Promise<HealthReport>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kcbx_' });
  const handled = new Counter({
    name: 'kcbx_messages_handled_total',
    help: 'Inbound messages handled',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'kcbx_message_handle_seconds',
    help: 'Time from receiving an inbound message to its answer being queued',
    labelNames: ['platform'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // One health read per scrape, shared by the gauges below.
  let pending: Promise<HealthReport> | undefined;
  const report = () => (pending ??= read().finally(() => setTimeout(() => (pending = undefined), 0)));
  const gauge = (name: string, help: string, value: (r: HealthReport) => number | null, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const r = await report();
        const v = value(r);
        if (v !== null) this.set(v);
      },
    });
  gauge('kcbx_up', '1 when the health check finds no problem', (r) => (r.ok ? 1 : 0));
  gauge('kcbx_database_up', '1 when the database answers', (r) => (r.database ? 1 : 0));
  gauge('kcbx_duty_tick_age_seconds', 'Seconds since the duty runner last finished a tick', (r) => r.lastTickAgeSeconds);
  gauge('kcbx_outbox_backlog', 'Messages due for delivery now', (r) => r.outboxBacklog);
  gauge('kcbx_outbox_oldest_due_age_seconds', 'Age of the oldest message due for delivery', (r) => r.oldestDueAgeSeconds ?? 0);
  gauge('kcbx_dead_letters_today', 'Messages given up on today (local day)', (r) => r.deadLettersToday);
  new Gauge({
    name: 'kcbx_platform_connected',
    help: '1 when the platform is connected',
    labelNames: ['platform'],
    registers: [registry],
    async collect() {
      const r = await report();
      for (const [platform, up] of Object.entries(r.platforms)) this.set({ platform }, up ? 1 : 0);
    },
  });
  return {
    registry,
    observeHandled(platform, outcome, seconds) {
      handled.inc({ platform, outcome });
      latency.observe({ platform }, seconds);
    },
  };
}
