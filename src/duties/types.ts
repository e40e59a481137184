/** The shape of a duty: what is due in a window of time, each item keyed for the ledger. */
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';

export interface DueItem {
  /** Unique per (duty, period, target): the ledger key. */
  key: string;
  duty: string;
  period: string;
  target: string;
  dueAt: Date;
  /** Missed while the bot was down and no longer meaningful: recorded as too_late, nothing sent. */
  tooLate?: boolean;
  /** Writes the duty's messages (to the outbox) inside the ledger's transaction; returns how many. */
  run(tx: Tx): Promise<number>;
  /**
   * Items of one duty sharing a batch run many at a time: their ledger rows are claimed together and `run` writes
   * all their messages in one transaction. When a batch throws, its items run one by one (`run` above), so one
   * broken item fails alone.
   */
  batch?: DueBatch;
}

export interface DueBatch {
  /** Runs the items (none too late) inside the ledger's transaction; returns the messages written per key. */
  run(tx: Tx, items: readonly DueItem[]): Promise<Map<string, number>>;
}

export interface Duty {
  name: string;
  /** Items due at a scheduled time in (from, to], or (for duties driven by stored state) due now. */
  due(deps: Deps, window: { from: Date; to: Date }): Promise<DueItem[]>;
}

export function dutyKey(duty: string, period: string, target: string): string {
  return `${duty}:${period}:${target}`;
}
