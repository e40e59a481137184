/**
 * Transfers between schools (转学) and the primary leavers' handover to junior school (小升初). A transfer is a
 * register change, not a dropout, but only once the receiving school has confirmed the pupil arrived: until then a
 * pupil with an open absence alert or suspected-dropout case stays on the suspected ledger as 转学待核实.
 * Pure: no clock, no store.
 */
import type { DateStr, Stage } from './types.js';

export const TRANSFER_STATES = ['awaiting_approval', 'pending_receipt', 'overdue', 'received', 'refused'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];
/** Still open: not yet confirmed by the receiving school (nor refused). */
export const OPEN_TRANSFER_STATES = ['awaiting_approval', 'pending_receipt', 'overdue'] as const satisfies readonly TransferState[];
export const TRANSFER_STATE_LABELS: Record<TransferState, string> = {
  awaiting_approval: '待县教育局审批',
  pending_receipt: '待接收学校确认',
  overdue: '逾期未确认接收',
  received: '已确认接收',
  refused: '未获批准',
};
export type TransferKind = 'transfer' | 'leaver';
export const TRANSFER_KIND_LABELS: Record<TransferKind, string> = { transfer: '转学', leaver: '小升初' };

/** How the suspected ledger (and the monthly form's case lines) show a case whose pupil is said to have transferred. */
export const TRANSFER_PENDING_LABEL = '转学待核实';

/** The day of the autumn term (counted in school days) by which every primary leaver must be confirmed received. */
export const LEAVER_CHECK_SCHOOL_DAY = 10;

export function isOpenTransfer(state: string): boolean {
  return (OPEN_TRANSFER_STATES as readonly string[]).includes(state);
}

/** A case's ledger label: 转学待核实 while a transfer of its pupil awaits confirmation, else the case's own. */
export function ledgerLabel(caseLabel: string, transferState: string | null | undefined): string {
  return transferState && isOpenTransfer(transferState) ? `${TRANSFER_PENDING_LABEL}（${caseLabel}）` : caseLabel;
}

export type Destination = { kind: 'school'; schoolId: number; townId: number; schoolKind: string; name: string } | { kind: 'outside'; text: string };

/**
 * Junior-high transfers and transfers across townships (out of the county is across townships too) go through the
 * county bureau; a primary pupil's transfer within the town the school handles itself.
 */
export function needsCountyApproval(from: { stage: Stage | string; townId: number }, to: Destination): boolean {
  return from.stage === 'junior' || to.kind === 'outside' || to.townId !== from.townId;
}

/** Whether a school of this kind teaches a pupil of this stage (a junior school has no primary classes). */
export function schoolTeaches(schoolKind: string, stage: Stage | string): boolean {
  return schoolKind === 'nine_year' || schoolKind === stage;
}

const OUTSIDE = /^(县外|外县|外省|外市|省外|市外|outside)[:：\s]*/i;

export type DestinationWords = { kind: 'school'; name: string } | { kind: 'outside'; text: string } | { kind: 'missing' } | { kind: 'outside_without_name' };

/** The receiving school as written: a school name, or 县外/外县/外省 followed by where (e.g. 县外 贵阳市第一小学). */
export function readDestination(words: string): DestinationWords {
  const t = words.trim().replace(/\s+/g, ' ');
  if (!t) return { kind: 'missing' };
  const m = OUTSIDE.exec(t);
  if (m) {
    const rest = t.slice(m[0].length).trim();
    return rest ? { kind: 'outside', text: `${m[1]} ${rest}`.slice(0, 100) } : { kind: 'outside_without_name' };
  }
  return { kind: 'school', name: t.replace(/\s/g, '') };
}

/** Spring terms start in the first half of the year (2027春季学期: 2027-02-22..2027-07-02). */
export function isSpringTerm(term: { start: DateStr }): boolean {
  return Number(term.start.slice(5, 7)) <= 6;
}

/** The school year a spring term closes: 2026-07-03 → 2025-2026. */
export function schoolYearEnding(springEnd: DateStr): string {
  const y = Number(springEnd.slice(0, 4));
  return `${y - 1}-${y}`;
}
