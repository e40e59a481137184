/**
 * Runs what is due. Every item is claimed in the ledger first, in the same transaction as its messages: a
 * restart, a second process or a replayed tick finds the key taken and skips it; a crash before commit leaves
 * neither the claim nor the messages, so the item runs after restart.
 * At start the window reaches back LOOKBACK so missed times are caught up (each duty decides what is too late),
 * but never before duties first ran on this database: a new installation has missed nothing.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueItem } from './types.js';
import { claim, finish, installedAt, isUniqueViolation, keysDone, markInstalled } from '../store/duty-run.repository.js';

export const LOOKBACK_MS = 8 * 86_400_000;

export interface TickResult {
  ran: { key: string; outcome: 'sent' | 'not_needed' | 'too_late'; messages: number }[];
  /** Items another process ran first. */
  skipped: number;
  failed: { key: string; error: string }[];
}

export interface DutyRunner {
  tick(): Promise<TickResult>;
}

export function createDutyRunner(deps: Deps, duties: readonly Duty[], log: (line: string) => void = () => {}): DutyRunner {
  let since: Date | undefined;
  let busy: Promise<TickResult> | undefined;

  async function runItem(item: DueItem, out: TickResult): Promise<void> {
    try {
      const r = await deps.db.$transaction(
        async (tx) => {
          // The claim is the transaction's first statement: it takes SQLite's write lock before any read.
          await claim(tx, { key: item.key, duty: item.duty, period: item.period, target: item.target, dueAt: item.dueAt, at: deps.clock.now() });
          const messages = item.tooLate ? 0 : await item.run(tx);
          const outcome = item.tooLate ? 'too_late' : messages > 0 ? 'sent' : 'not_needed';
          await finish(tx, item.key, outcome, messages);
          return { key: item.key, outcome, messages } as const;
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
      out.ran.push(r);
    } catch (e) {
      if (isUniqueViolation(e)) {
        out.skipped++;
        return;
      }
      const error = e instanceof Error ? e.message : String(e);
      log(`duty ${item.key} failed: ${error}`);
      out.failed.push({ key: item.key, error });
    }
  }

  async function tick(): Promise<TickResult> {
    const now = deps.clock.now();
    const out: TickResult = { ran: [], skipped: 0, failed: [] };
    if (!since) {
      const installed = await installedAt(deps.db);
      if (!installed) await markInstalled(deps.db, now);
      const lookback = now.getTime() - LOOKBACK_MS;
      since = new Date(installed ? Math.max(lookback, installed.getTime()) : now.getTime());
    }
    const window = { from: since, to: now };
    for (const duty of duties) {
      let items: DueItem[];
      try {
        items = (await duty.due(deps, window)).filter((i) => i.dueAt <= now);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        log(`duty ${duty.name}: could not work out what is due: ${error}`);
        out.failed.push({ key: duty.name, error });
        continue;
      }
      const done = await keysDone(deps.db, items.map((i) => i.key));
      for (const item of items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.key.localeCompare(b.key))) {
        if (!done.has(item.key)) await runItem(item, out);
      }
    }
    const missed = new Map<string, number>();
    for (const r of out.ran) if (r.outcome === 'too_late') missed.set(r.key.split(':')[0]!, (missed.get(r.key.split(':')[0]!) ?? 0) + 1);
    for (const [duty, n] of missed) log(`duty ${duty}: ${n} item(s) fell due while the bot was down and are too late to send now (recorded as missed)`);
    // A failed item is looked at again next tick: the window only moves on when everything in it ran.
    if (out.failed.length === 0) since = now;
    return out;
  }

  return {
    tick() {
      // Ticks never overlap within a process (node-cron, converse and tests may all call tick).
      const run = (busy ?? Promise.resolve()).then(tick, tick);
      busy = run.catch(() => undefined) as Promise<TickResult>;
      return run;
    },
  };
}
