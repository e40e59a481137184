/** What a measuring child process reports to the bench, as one line on stdout. */
import type { Detail } from './county-ops.js';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prisma's multi-line errors as one line: where it was called and what the database said (the first line after
 * the code frame), also when a stack trace and Node's banner follow. */
export function condense(message: string): string {
  const call = /Invalid `(.+?)` invocation in\n(.+?)\n([\s\S]*)/.exec(message);
  if (!call) return message.trim().split('\n')[0]!;
  const said =
    call[3]!
      .split('\n')
      .find((l) => l.trim() && !/^\s|^\d|^→/.test(l))
      ?.trim() ?? '';
  return `${call[1]} at ${call[2]!.replace(/^.*?\/(src\/)/, '$1')}: ${said}`;
}

export interface ChildResult {
  ok: boolean;
  seconds?: number;
  statements?: number;
  statementKinds?: Record<string, number>;
  /** CPU (user + system) used: less disturbed than wall time by other work on a shared machine. */
  cpuSeconds?: number;
  peakRssMb: number;
  detail?: Detail;
  error?: string;
}
