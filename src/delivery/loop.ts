/** Drains the outbox on a timer while platforms run. A failing round is logged, never fatal. */
import type { ChatAdapter } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { drainOutbox, DEFAULT_DELIVERY, type DeliveryOptions } from './dispatcher.js';

export function startDispatcher(db: Db, clock: Clock, adapters: ReadonlyMap<string, ChatAdapter>, log: (line: string) => void, options: DeliveryOptions = DEFAULT_DELIVERY, intervalMs = 500): { stop(): void; kick(): void } {
  let running = false;
  let again = false;
  const round = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const r = await drainOutbox(db, clock, adapters, options);
        if (r.failed) log(`delivery: ${r.failed} message(s) failed this round; they will be retried with backoff`);
        if (r.dead) log(`delivery: ${r.dead} message(s) failed every attempt and are dead; the county admin is told`);
        for (const p of r.rateLimited) log(`delivery: ${p.platform} asked to wait ${p.seconds}s (429); nothing is lost, sending resumes after`);
      } while (again);
    } catch (e) {
      log(`delivery: round failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void round(), intervalMs);
  return { stop: () => clearInterval(timer), kick: () => void round() };
}
