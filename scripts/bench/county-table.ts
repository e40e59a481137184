/** The county benchmark's rows as a terminal table. */
import type { Detail } from './county-ops.js';

export interface Row {
  students: number;
  operation: string;
  ok: boolean;
  seconds?: number;
  cpuSeconds?: number;
  statements?: number;
  statementKinds?: Record<string, number>;
  peakRssMb?: number;
  /** The target, as text ("< 1 s"), checked at 60,000 students. */
  target?: string;
  meetsTarget?: boolean;
  detail?: Detail;
  error?: string;
}

const width = (s: string) => [...s].reduce((n, c) => n + (c.codePointAt(0)! > 0x2e80 ? 2 : 1), 0);
const pad = (s: string, n: number, right = false) => (right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s))));

export function formatTable(rows: Row[]): string {
  const head = ['students', 'operation', 'time', 'CPU', 'SQL', 'peak RSS', 'target', 'note'];
  const cells = rows.map((r) => [
    r.students.toLocaleString('en-US'),
    r.operation,
    r.seconds === undefined ? '—' : `${r.seconds.toFixed(2)} s`,
    r.cpuSeconds === undefined ? '—' : `${r.cpuSeconds.toFixed(2)} s`,
    r.statements === undefined ? '—' : r.statements.toLocaleString('en-US'),
    r.peakRssMb === undefined ? '—' : `${r.peakRssMb} MB`,
    r.target ? `${r.target} ${r.meetsTarget === undefined ? '' : r.meetsTarget ? '✓' : '✗'}`.trim() : '',
    r.ok
      ? Object.entries(r.detail ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : `ERROR ${r.error ?? ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(width(h), ...cells.map((c) => (i === 7 ? 0 : width(c[i]!)))));
  const right = [true, false, true, true, true, true, false, false];
  const line = (c: string[]) => c.map((x, i) => (i === 7 ? x : pad(x, widths[i]!, right[i]))).join('  ');
  return [
    line(head),
    line(
      widths
        .map((w) => '-'.repeat(w))
        .slice(0, 7)
        .concat('----'),
    ),
    ...cells.map(line),
  ].join('\n');
}
