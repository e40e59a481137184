/** What a measuring child process reports to the bench, as one line on stdout. */
import type { Detail } from './county-ops.js';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prisma's multi-line errors as one line: where it was called and what the database said. */
export function condense(message: string): string {
  const call = /Invalid `(.+?)` invocation in\n(.+?)\n/.exec(message);
  const last = message.trim().split('\n').filter((l) => l.trim()).at(-1)?.trim() ?? '';
  return call ? `${call[1]} at ${call[2]!.replace(/^.*?\/(src\/)/, '$1')}: ${last}` : message.trim().split('\n')[0]!;
}

export interface ChildResult {
  ok: boolean;
  seconds?: number;
  statements?: number;
  peakRssMb: number;
  detail?: Detail;
  error?: string;
}
