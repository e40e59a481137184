/** Drains the outbox on a timer while platforms run. A failing round is logged, never fatal. */
import type { ChatAdapter } from '../../adapters/types.js';
import type { Clock } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { drainOutbox, type DeliveryOptions, type DrainResult } from './dispatcher.js';

export function startDispatcher(
  db: Db,
  clock: Clock,
  adapters: ReadonlyMap<string, ChatAdapter>,
  log: (line: string) => void,
  options: Partial<DeliveryOptions> = {},
  intervalMs = 500,
): { stop(): void; kick(): void } {
  let running = false;
  let again = false;
  const capped = new Set<string>();
  const round = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        report(await drainOutbox(db, clock, adapters, options), log, capped);
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

/** What a round says in the log: failures, dead messages, 429 pauses, and a daily cap when it is reached or lifted. */
function report(r: DrainResult, log: (line: string) => void, capped: Set<string>): void {
  if (r.failed) log(`delivery: ${r.failed} message(s) failed this round; they will be retried with backoff`);
  for (const d of r.deadLetters) {
    const told =
      d.kind === 'delivery_report'
        ? 'a delivery report is not reported again'
        : d.reportError
          ? `the report to the county admin could not be written: ${d.reportError}`
          : `${d.reportedTo} county admin(s) told`;
    log(`delivery: message #${d.id} (${d.kind}) to ${d.chatRef} is dead after ${d.attempts} attempt(s): ${d.error}; ${told}`);
  }
  for (const p of r.rateLimited) log(`delivery: ${p.platform} answered 429, pausing it for ${p.seconds}s; nothing is lost, sending resumes after`);
  for (const p of r.capped) if (!capped.has(p)) log(`delivery: ${p} reached its daily cap; the rest waits until local midnight`);
  for (const p of [...capped]) if (!r.capped.includes(p)) capped.delete(p);
  for (const p of r.capped) capped.add(p);
}
