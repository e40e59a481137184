/** Absence alerts and who was told. */
import { Prisma, type Alert } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import type { DateStr } from '../domain/types.js';
import { insertRows, insertRowsReturning } from './bulk-insert.js';
import { ALERT_COLUMNS, alertRow, columns, int, type Raw } from './raw-rows.js';
import { queryRows } from './direct.js';

// The reads a recorded absence or roll call makes are SQL (raw-rows.ts): they are on the hot path.
const ALERT = columns(ALERT_COLUMNS);

export async function openAlertsOf(db: Tx, studentId: number): Promise<Alert[]> {
  const rows = await queryRows<Raw<Alert>>(
    db,
    Prisma.sql`SELECT ${ALERT} FROM "Alert" WHERE "studentId" = ${studentId} AND "status" = 'open' ORDER BY "id" ASC`,
  );
  return rows.map(alertRow);
}

export type AlertRow = Alert;

/** Open alerts of many students (chunks of 500), by student. */
export async function openAlertsOfMany(db: Tx, studentIds: readonly number[]): Promise<Map<number, AlertRow[]>> {
  const out = new Map<number, AlertRow[]>(studentIds.map((id) => [id, []]));
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await queryRows<Raw<Alert>>(
      db,
      Prisma.sql`SELECT ${ALERT} FROM "Alert" WHERE "studentId" IN (${Prisma.join(studentIds.slice(i, i + 500))}) AND "status" = 'open' ORDER BY "id" ASC`,
    );
    for (const r of rows.map(alertRow)) out.get(r.studentId)!.push(r);
  }
  return out;
}

/**
 * Enrolled students of a class with at least one open alert and no attendance mark on `date`: those the class's
 * attendance taken that day counts as present without a word. One statement (it used to be the open alerts, then the
 * class's marks of the day).
 */
export async function alertedUnmarkedOn(db: Tx, classId: number, date: DateStr): Promise<number[]> {
  const rows = await queryRows<{ studentId: unknown }>(db, alertedUnmarkedQuery(classId, date));
  return rows.map((r) => int(r.studentId));
}

/** alertedUnmarkedOn's query (attendance.repository.ts sends it with the class's attendance on PostgreSQL). */
export function alertedUnmarkedQuery(classId: number, date: DateStr): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT "studentId" FROM "Alert" WHERE "status" = 'open' AND "studentId" IN (SELECT "id" FROM "Student" WHERE "classId" = ${classId} AND "status" = 'enrolled')
      AND NOT EXISTS (SELECT 1 FROM "AttendanceMark" m WHERE m."studentId" = "Alert"."studentId" AND m."date" = ${date}) ORDER BY "studentId" ASC`;
}

export interface NewAlert {
  studentId: number;
  step: string;
  streakSince: string;
  streakDays: number;
  raisedOn: string;
  at: Date;
  remindAfterMin: number;
  visitWithinMin: number;
}

/** Creates alerts in multi-row inserts (8 values a row, 100 rows each); returns them by `studentId:step`. */
export async function createAlerts(db: Tx, rows: readonly NewAlert[]): Promise<Map<string, { id: number }>> {
  const columns = ['studentId', 'step', 'streakSince', 'streakDays', 'raisedOn', 'createdAt', 'remindAfterMin', 'visitWithinMin'];
  const made = await insertRowsReturning<{ id: number; studentId: number; step: string }>(
    db,
    'Alert',
    columns,
    rows.map((a) => [a.studentId, a.step, a.streakSince, a.streakDays, a.raisedOn, a.at, a.remindAfterMin, a.visitWithinMin]),
    ['studentId', 'step'],
  );
  return new Map(made.map((a) => [`${Number(a.studentId)}:${a.step}`, { id: a.id }]));
}

export async function closeAlert(db: Tx, id: number, how: 'withdrawn' | 'resolved', at: Date): Promise<void> {
  await db.alert.update({ where: { id }, data: { status: how, closedAt: at, closedReason: how } });
}

export async function addRecipient(db: Tx, alertId: number, personId: number, outboxId: number, at: Date): Promise<void> {
  await db.alertRecipient.create({ data: { alertId, personId, outboxId, notifiedAt: at } });
}

/** Recipients of many alerts in multi-row inserts (5 values a row, 150 rows each). */
export async function addRecipients(db: Tx, rows: readonly { alertId: number; personId: number; outboxId: number }[], at: Date): Promise<void> {
  await insertRows(
    db,
    'AlertRecipient',
    ['alertId', 'personId', 'outboxId', 'notifiedAt'],
    rows.map((r) => [r.alertId, r.personId, r.outboxId, at]),
  );
}

export async function recipientsOf(db: Tx, alertId: number) {
  return db.alertRecipient.findMany({ where: { alertId }, orderBy: { id: 'asc' } });
}

export async function unackedFor(db: Tx, personId: number) {
  return db.alertRecipient.findMany({ where: { personId, ackAt: null, alert: { status: 'open' } }, include: { alert: true }, orderBy: { id: 'asc' } });
}

export async function acknowledge(db: Tx, alertId: number, personId: number, at: Date): Promise<'ok' | 'already' | 'not_recipient'> {
  const r = await db.alertRecipient.findUnique({ where: { alertId_personId: { alertId, personId } } });
  if (!r) return 'not_recipient';
  if (r.ackAt) return 'already';
  await db.alertRecipient.update({ where: { id: r.id }, data: { ackAt: at } });
  return 'ok';
}
