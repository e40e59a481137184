/**
 * Runs what is due. Every item is claimed in the ledger first, in the same transaction as its messages: a
 * restart, a second process or a replayed tick finds the key taken and skips it; a crash before commit leaves
 * neither the claim nor the messages, so the item runs after restart.
 * At start the window reaches back LOOKBACK so missed times are caught up (each duty decides what is too late),
 * but never before duties first ran on this database: a new installation has missed nothing.
 *
 * A failure never holds anything else up: an item (or a duty's due()) that throws is logged with its key, recorded
 * in DutyFailure with its attempts and last error, and the window moves on. Failed items are retried on later ticks
 * after 1, 2, 4 … minutes (at most an hour apart); after MAX_ATTEMPTS the runner gives up on it (it stays in
 * DutyFailure for the operator, and the county admins are told by direct message) and tries it once more only when a
 * process starts, e.g. after a fix is deployed.
 */
import type { Deps } from '../services/deps.js';
import { withWriteTransaction } from '../store/write.js';
import type { Duty, DueBatch, DueItem } from './types.js';
import {
  claim,
  claimMany,
  finish,
  finishMany,
  installedAt,
  isUniqueViolation,
  keysDone,
  markInstalled,
  openFailures,
  recordFailure,
  resolveFailures,
  type Outcome,
} from '../store/duty-run.repository.js';
import { peopleWithRole } from '../store/org.repository.js';
import { sendToPerson } from '../services/messenger.js';

export const LOOKBACK_MS = 8 * 86_400_000;
export const RETRY_FIRST_MS = 60_000;
export const RETRY_MAX_MS = 3_600_000;
export const MAX_ATTEMPTS = 8;
/** Items of a batch run per transaction. */
const BATCH_SIZE = 250;

/** When a failed item is tried again, or null once the runner gives up (after MAX_ATTEMPTS). */
export function nextAttemptAfter(now: Date, attempts: number): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (attempts - 1)));
}

export interface TickResult {
  ran: { key: string; outcome: Outcome; messages: number }[];
  /** Items another process ran first. */
  skipped: number;
  failed: { key: string; error: string }[];
}

export interface DutyRunner {
  tick(): Promise<TickResult>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const byDue = (a: DueItem, b: DueItem) => a.dueAt.getTime() - b.dueAt.getTime() || a.key.localeCompare(b.key);

export function createDutyRunner(deps: Deps, duties: readonly Duty[], log: (line: string) => void = () => {}): DutyRunner {
  let since: Date | undefined;
  let busy: Promise<TickResult> | undefined;

  /** Records a failure (never throws: a broken database must not stop the tick either). */
  async function noteFailure(out: TickResult, f: { key: string; duty: string; retryFrom: Date; error: string }, what: string): Promise<void> {
    const at = deps.clock.now();
    out.failed.push({ key: f.key, error: f.error });
    try {
      const r = await withWriteTransaction(deps.db, async (tx) => {
        const r = await recordFailure(tx, { ...f, at }, (n) => nextAttemptAfter(at, n));
        // Given up just now: the county admins hear of it once (a restart's extra try does not tell them again).
        if (r.attempts === MAX_ATTEMPTS) {
          const text = `⚠️ 自动任务多次失败，已停止自动重试：${f.key}（已试 ${r.attempts} 次）。\n最后的错误：${f.error.slice(0, 300)}\n修复后重启机器人会再试一次；失败记录见数据库 DutyFailure 表。`;
          for (const a of await peopleWithRole(tx, 'county')) await sendToPerson(tx, at, a.id, text, { kind: 'duty_failure' });
        }
        return r;
      });
      const next = r.nextAttemptAt
        ? `retried after ${r.nextAttemptAt.toISOString()}`
        : `given up after ${r.attempts} attempts (see DutyFailure; tried again when the bot restarts)`;
      log(`duty ${f.key} ${what} (attempt ${r.attempts}, ${next}): ${f.error}`);
    } catch (e) {
      log(`duty ${f.key} ${what}: ${f.error}; recording the failure failed too: ${message(e)}`);
    }
  }

  async function runItem(item: DueItem, out: TickResult, failedKeys: Set<string>): Promise<void> {
    try {
      const r = await withWriteTransaction(
        deps.db,
        async (tx) => {
          // The claim is the transaction's first statement: it takes SQLite's write lock before any read.
          await claim(tx, { key: item.key, duty: item.duty, period: item.period, target: item.target, dueAt: item.dueAt, at: deps.clock.now() });
          const messages = item.tooLate ? 0 : await item.run(tx);
          const outcome: Outcome = item.tooLate ? 'too_late' : messages > 0 ? 'sent' : 'not_needed';
          await finish(tx, item.key, outcome, messages);
          return { key: item.key, outcome, messages };
        },
        { timeout: 60_000 },
      );
      out.ran.push(r);
      if (failedKeys.has(item.key)) await resolveFailures(deps.db, [item.key], deps.clock.now());
    } catch (e) {
      if (isUniqueViolation(e)) {
        out.skipped++;
        return;
      }
      await noteFailure(out, { key: item.key, duty: item.duty, retryFrom: new Date(item.dueAt.getTime() - 1), error: message(e) }, 'failed');
    }
  }

  /** A chunk of one batch in one transaction; when it throws, its items run one by one so only the broken fail. */
  async function runBatch(batch: DueBatch, chunk: DueItem[], out: TickResult, failedKeys: Set<string>): Promise<void> {
    try {
      const results = await withWriteTransaction(
        deps.db,
        async (tx) => {
          await claimMany(
            tx,
            chunk.map((i) => ({ key: i.key, duty: i.duty, period: i.period, target: i.target, dueAt: i.dueAt })),
            deps.clock.now(),
          );
          const live = chunk.filter((i) => !i.tooLate);
          const counts = live.length > 0 ? await batch.run(tx, live) : new Map<string, number>();
          const rows = chunk.map((i) => {
            const messages = i.tooLate ? 0 : (counts.get(i.key) ?? 0);
            const outcome: Outcome = i.tooLate ? 'too_late' : messages > 0 ? 'sent' : 'not_needed';
            return { key: i.key, outcome, messages };
          });
          await finishMany(tx, rows);
          return rows;
        },
        { timeout: 120_000 },
      );
      out.ran.push(...results);
      const resolved = chunk.filter((i) => failedKeys.has(i.key)).map((i) => i.key);
      if (resolved.length > 0) await resolveFailures(deps.db, resolved, deps.clock.now());
    } catch (e) {
      // Another process took some of the keys, or an item threw: each item on its own decides.
      if (!isUniqueViolation(e)) log(`duty ${chunk[0]!.duty}: a batch of ${chunk.length} item(s) failed (${message(e)}); running them one by one`);
      for (const item of chunk) await runItem(item, out, failedKeys);
    }
  }

  async function runDuty(duty: Duty, window: { from: Date; to: Date }, failures: Awaited<ReturnType<typeof openFailures>>, first: boolean, out: TickResult) {
    const now = window.to;
    const mine = failures.filter((f) => f.duty === duty.name);
    // A failure is retried when its backoff ran out; one given up is tried once more when a process starts.
    const retryNow = (f: (typeof mine)[number]) => (f.nextAttemptAt ? f.nextAttemptAt <= now : first);
    const waiting = new Set(mine.filter((f) => !retryNow(f)).map((f) => f.key));
    const oldest = Math.min(...mine.filter(retryNow).map((f) => f.retryFrom.getTime()));
    // Retrying a failure from before the window: ask the duty again from there (what is already done is skipped).
    const from = new Date(Math.max(now.getTime() - LOOKBACK_MS, Math.min(oldest, window.from.getTime())));
    const dueKey = `${duty.name}:due`;
    let items: DueItem[];
    try {
      items = (await duty.due(deps, { from, to: now })).filter((i) => i.dueAt <= now);
    } catch (e) {
      const earlier = mine.find((f) => f.key === dueKey)?.retryFrom;
      const retryFrom = earlier && earlier < from ? earlier : from;
      await noteFailure(out, { key: dueKey, duty: duty.name, retryFrom, error: message(e) }, 'could not work out what is due');
      return;
    }
    const done = await keysDone(
      deps.db,
      items.map((i) => i.key),
    );
    // Settled without running here: the due() failure (asked again from its window, or from as far back as the
    // runner ever looks), items another process ran meanwhile, and retried items the duty no longer finds due
    // (e.g. the student came back).
    const present = new Set(items.map((i) => i.key));
    const settled = mine
      .filter((f) =>
        f.key === dueKey
          ? from.getTime() <= Math.max(f.retryFrom.getTime(), now.getTime() - LOOKBACK_MS)
          : done.has(f.key) || (retryNow(f) && !present.has(f.key)),
      )
      .map((f) => f.key);
    if (settled.length > 0) await resolveFailures(deps.db, settled, now);
    const failedKeys = new Set(mine.map((f) => f.key));
    const todo = items.filter((i) => !done.has(i.key) && !waiting.has(i.key)).sort(byDue);
    const batches = new Set<DueBatch>();
    for (const item of todo) {
      if (!item.batch) {
        await runItem(item, out, failedKeys);
        continue;
      }
      if (batches.has(item.batch)) continue;
      batches.add(item.batch);
      const group = todo.filter((i) => i.batch === item.batch);
      for (let i = 0; i < group.length; i += BATCH_SIZE) await runBatch(item.batch, group.slice(i, i + BATCH_SIZE), out, failedKeys);
    }
  }

  async function tick(): Promise<TickResult> {
    const now = deps.clock.now();
    const out: TickResult = { ran: [], skipped: 0, failed: [] };
    const first = !since;
    if (!since) {
      const installed = await installedAt(deps.db);
      if (!installed) await markInstalled(deps.db, now);
      const lookback = now.getTime() - LOOKBACK_MS;
      since = new Date(installed ? Math.max(lookback, installed.getTime()) : now.getTime());
    }
    const window = { from: since, to: now };
    const failures = await openFailures(deps.db);
    for (const duty of duties) await runDuty(duty, window, failures, first, out);
    const missed = new Map<string, number>();
    for (const r of out.ran) if (r.outcome === 'too_late') missed.set(r.key.split(':')[0]!, (missed.get(r.key.split(':')[0]!) ?? 0) + 1);
    for (const [duty, n] of missed) log(`duty ${duty}: ${n} item(s) fell due while the bot was down and are too late to send now (recorded as missed)`);
    // The window always moves on: what failed is in DutyFailure and retried from there.
    since = now;
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
