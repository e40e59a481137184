/** Wires the operator's view for `npm start`: the health report, the metrics, and their HTTP server. */
import type { Config } from '../config.js';
import type { Deps } from '../services/deps.js';
import { healthReport, type HealthSources } from './health.js';
import { createMetrics } from './metrics.js';
import { startHealthServer } from './health-server.js';

export interface Operations {
  /** Runs one inbound message's handling, counting it and its latency; a throw is counted and passed on. */
  timed<T>(platform: string, handle: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startOperations(o: {
  config: Config;
  deps: Deps;
  log: (line: string) => void;
  platforms: HealthSources['platforms'];
  lastTickAt: HealthSources['lastTickAt'];
}): Promise<Operations> {
  const sources: HealthSources = {
    db: o.deps.db,
    clock: o.deps.clock,
    timeZone: o.config.TIMEZONE,
    platforms: o.platforms,
    lastTickAt: o.lastTickAt,
    startedAt: o.deps.clock.now(),
  };
  const read = () => healthReport(sources);
  const metrics = createMetrics(read);
  let server: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  if (o.config.HEALTH_PORT !== null) {
    try {
      server = await startHealthServer({ port: o.config.HEALTH_PORT, host: o.config.HEALTH_HOST, read, metrics, log: o.log });
      o.log(`health: http://${o.config.HEALTH_HOST}:${o.config.HEALTH_PORT}/healthz and /metrics`);
    } catch (e) {
      // A second process on the same machine finds the port taken: it runs on, without its own endpoint.
      o.log(`health: could not listen on ${o.config.HEALTH_HOST}:${o.config.HEALTH_PORT}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    async timed(platform, handle) {
      const t0 = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9;
      try {
        const r = await handle();
        metrics.observeHandled(platform, 'ok', seconds());
        return r;
      } catch (e) {
        metrics.observeHandled(platform, 'error', seconds());
        throw e;
      }
    },
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
