/**
 * Rows the hot path reads with SQL (`$queryRaw`), typed as Prisma's model API reads them. A model query costs about
 * 1–1.5 ms of CPU (its query compiler and client), the same statement as SQL about 0.3 ms; every message pays for
 * a dozen of them. SQLite and PostgreSQL give integers as number or bigint, and instants as Date, string or number
 * depending on the statement (a RETURNING or computed column has no declared type): each value is read back to
 * what the model API gives. Column lists are quoted (PostgreSQL folds unquoted names).
 */
import { Prisma, type Alert, type AttendanceMark } from '../../generated/prisma/client.js';

export type Raw<T> = { [K in keyof T]: unknown };

export const int = (v: unknown): number => Number(v);
export const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const text = (v: unknown): string => String(v);
export const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const when = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string | number));
export const whenOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : when(v));

/** `"a", "b", …` (or `"t"."a" AS "pa", …` with a table alias and a prefix for the result's names). */
export function columns(names: readonly string[], table?: string, prefix = ''): Prisma.Sql {
  return Prisma.raw(names.map((c) => (table ? `"${table}"."${c}" AS "${prefix}${c}"` : `"${c}"`)).join(', '));
}

export const MARK_COLUMNS = ['id', 'studentId', 'date', 'status', 'note', 'reportedById', 'chatRef', 'recordedAt', 'supersedesId'] as const;

export function markRow(r: Raw<AttendanceMark>): AttendanceMark {
  return {
    id: int(r.id),
    studentId: int(r.studentId),
    date: text(r.date),
    status: text(r.status),
    note: textOrNull(r.note),
    reportedById: int(r.reportedById),
    chatRef: text(r.chatRef),
    recordedAt: when(r.recordedAt),
    supersedesId: intOrNull(r.supersedesId),
  };
}

export const ALERT_COLUMNS = [
  'id',
  'studentId',
  'step',
  'streakSince',
  'streakDays',
  'raisedOn',
  'status',
  'createdAt',
  'closedAt',
  'closedReason',
  'remindAfterMin',
  'visitWithinMin',
  'escalation',
  'escalatedAt',
] as const;

export function alertRow(r: Raw<Alert>): Alert {
  return {
    id: int(r.id),
    studentId: int(r.studentId),
    step: text(r.step),
    streakSince: text(r.streakSince),
    streakDays: int(r.streakDays),
    raisedOn: text(r.raisedOn),
    status: text(r.status),
    createdAt: when(r.createdAt),
    closedAt: whenOrNull(r.closedAt),
    closedReason: textOrNull(r.closedReason),
    remindAfterMin: intOrNull(r.remindAfterMin),
    visitWithinMin: intOrNull(r.visitWithinMin),
    escalation: text(r.escalation),
    escalatedAt: whenOrNull(r.escalatedAt),
  };
}
