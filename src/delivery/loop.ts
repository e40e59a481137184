/** Drains the outbox on a timer while platforms run. A failing round is logged, never fatal. */
import type { ChatAdapter } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { drainOutbox } from './dispatcher.js';

export function startDispatcher(db: Db, clock: Clock, adapters: ReadonlyMap<string, ChatAdapter>, log: (line: string) => void, intervalMs = 500): { stop(): void; kick(): void } {
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
        const r = await drainOutbox(db, clock, adapters);
        if (r.failed) log(`delivery: ${r.failed} message(s) failed this round; they will be retried`);
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
