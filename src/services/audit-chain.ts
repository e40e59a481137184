/**
 * Checking the tamper-evident record (`npm run cli -- audit verify`): walks the chain in order, recomputes each entry
 * from the one before and each row's hash from the row as stored now, and names the FIRST thing that does not match:
 * an entry altered or removed, a sealed row deleted, a sealed row edited; then rows the chain skipped (an entry
 * removed from its end, or a row inserted with an old id). Reads only; sealAll is the one that writes.
 */
import { entryHash, GENESIS, rowHash } from '../domain/chain-hash.js';
import {
  chainEntriesAfter,
  chainState,
  firstUnchainedRow,
  layouts,
  rowsById,
  SEAL_CAP,
  sealInTransaction,
  SEALED_TABLES,
  type TableState,
} from '../store/chain.repository.js';
import type { Db, Tx } from '../store/prisma.js';
import { withWriteTransaction } from '../store/write.js';

export type Problem =
  | { what: 'entry_altered'; entryId: number; table: string; rowId: number }
  | { what: 'deleted'; entryId: number; table: string; rowId: number }
  | { what: 'edited'; entryId: number; table: string; rowId: number }
  | { what: 'not_in_chain'; table: string; rowId: number }
  /** The tip hash copied down earlier (--anchor) is no longer in the chain: it was rewritten from some point on. */
  | { what: 'anchor_missing'; anchor: string };

export interface VerifyResult {
  entries: number;
  tip: string;
  /** Rows written since the last sealing (sealed by the next write transaction or `audit seal`). */
  unsealed: number;
  problem?: Problem;
}

const PAGE = 500;

export async function verifyChain(db: Tx, anchor?: string): Promise<VerifyResult> {
  let anchored = anchor === undefined;
  const layoutById = await layouts(db);
  let prev = GENESIS;
  let after = 0;
  let entries = 0;
  for (;;) {
    const page = await chainEntriesAfter(db, after, PAGE);
    if (page.length === 0) break;
    const rows = new Map<string, Map<number, Record<string, unknown>>>();
    for (const table of new Set(page.map((e) => e.tableName))) {
      if (!SEALED_TABLES.some((t) => t.table === table)) continue;
      rows.set(
        table,
        await rowsById(
          db,
          table,
          page.filter((e) => e.tableName === table).map((e) => e.rowId),
        ),
      );
    }
    for (const e of page) {
      const at = { entryId: e.id, table: e.tableName, rowId: e.rowId };
      if (entryHash(prev, e.tableName, e.rowId, e.rowHash) !== e.hash) return done(db, entries, prev, { what: 'entry_altered', ...at });
      const row = rows.get(e.tableName)?.get(e.rowId);
      if (!row) return done(db, entries, prev, { what: 'deleted', ...at });
      const layout = layoutById.get(e.layoutId);
      if (!layout || layout.tableName !== e.tableName || rowHash(row, layout.columns) !== e.rowHash) return done(db, entries, prev, { what: 'edited', ...at });
      prev = e.hash;
      entries++;
      if (e.hash === anchor) anchored = true;
    }
    after = page[page.length - 1]!.id;
  }
  const { tables } = await chainState(db);
  const skipped = await firstNotInChain(db, tables);
  return done(db, entries, prev, skipped ?? (anchored ? undefined : { what: 'anchor_missing', anchor: anchor! }), tables);
}

async function done(db: Tx, entries: number, tip: string, problem?: Problem, known?: readonly TableState[]): Promise<VerifyResult> {
  const tables = known ?? (await chainState(db)).tables;
  const unsealed = tables.reduce((n, t) => n + (t.top > t.sealed ? t.top - t.sealed : 0), 0);
  return { entries, tip, unsealed, ...(problem ? { problem } : {}) };
}

/** A row at or below its table's largest sealed id that has no entry: the chain lost its end, or the row came later. */
async function firstNotInChain(db: Tx, tables: readonly TableState[]): Promise<Problem | undefined> {
  for (const t of tables) {
    if (t.sealed === 0) continue;
    const rowId = await firstUnchainedRow(db, t.table, t.sealed);
    if (rowId !== undefined) return { what: 'not_in_chain', table: t.table, rowId };
  }
  return undefined;
}

const TABLE_LABELS: Record<string, string> = {
  AttendanceMark: '考勤记录',
  ClassAttendance: '班级点名记录',
  WeeklyCount: '周统计',
  CaseEvent: '辍学个案记录',
  HomeVisit: '家访记录',
  RegisterEvent: '学籍变动',
  MonthlyConfirmation: '学校月报确认',
  TownConfirmation: '全镇月报确认',
  InspectionFinding: '抽查记录',
  MonthReopening: '月报重新打开记录',
  MonthReconfirmation: '月报重新确认',
};

export const tableLabel = (table: string): string => `${TABLE_LABELS[table] ?? table}（${table}）`;

/** The CLI's answer: one line when intact; the first problem, in Chinese, otherwise. */
export function describeVerify(r: VerifyResult): string {
  const tail = r.unsealed ? `；另有 ${r.unsealed} 条新记录尚未封存（下一次写入时自动封存，或运行 npm run cli -- audit seal）` : '';
  if (!r.problem)
    return `记录链完整：已核对 ${r.entries} 条封存记录，未发现机器人以外的修改或删除${tail}。链尾哈希 ${r.tip}（可抄存备查，下次核对时应仍在链中）。`;
  const p = r.problem;
  const what =
    p.what === 'edited'
      ? `${tableLabel(p.table)} 第 ${p.rowId} 行在机器人之外被修改过（第 ${p.entryId} 条链记录封存时的内容与现在不同）`
      : p.what === 'deleted'
        ? `${tableLabel(p.table)} 第 ${p.rowId} 行在机器人之外被删除（第 ${p.entryId} 条链记录封存过它）`
        : p.what === 'anchor_missing'
          ? `抄存的链尾哈希 ${p.anchor} 已不在记录链中：记录链从某处起被整体重写过`
          : p.what === 'entry_altered'
            ? `第 ${p.entryId} 条链记录（${tableLabel(p.table)} 第 ${p.rowId} 行）被改动，或它之前的链记录被删除`
            : `${tableLabel(p.table)} 第 ${p.rowId} 行不在记录链中：链末尾的记录被删除，或这一行是在机器人之外补写的`;
  return `记录链核对失败：${what}。此前 ${r.entries} 条封存记录核对无误。请保留数据库文件，报县教育局督导室核查。`;
}

/** Seals everything still unsealed (after an import, a seed or plain SQL), one transaction per SEAL_CAP rows. */
export async function sealAll(db: Db, cap = SEAL_CAP): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await withWriteTransaction(db, (tx) => sealInTransaction(db, tx, cap), { timeout: 300_000, seal: false });
    total += n;
    if (n === 0) return total;
  }
}
