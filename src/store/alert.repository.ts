/** Absence alerts and who was told. */
import type { Tx } from './prisma.js';
import { insertRows, insertRowsReturning } from './bulk-insert.js';

export async function openAlertsOf(db: Tx, studentId: number) {
  return db.alert.findMany({ where: { studentId, status: 'open' }, orderBy: { id: 'asc' } });
}

export type AlertRow = Awaited<ReturnType<typeof openAlertsOf>>[number];

/** Open alerts of many students (chunks of 500), by student. */
export async function openAlertsOfMany(db: Tx, studentIds: readonly number[]): Promise<Map<number, AlertRow[]>> {
  const out = new Map<number, AlertRow[]>(studentIds.map((id) => [id, []]));
  for (let i = 0; i < studentIds.length; i += 500) {
    const rows = await db.alert.findMany({ where: { studentId: { in: studentIds.slice(i, i + 500) }, status: 'open' }, orderBy: { id: 'asc' } });
    for (const r of rows) out.get(r.studentId)!.push(r);
  }
  return out;
}

/** Enrolled students of a class with at least one open alert. */
export async function studentsWithOpenAlerts(db: Tx, classId: number): Promise<number[]> {
  const rows = await db.alert.findMany({
    where: {
      status: 'open',
      studentId: { in: (await db.student.findMany({ where: { classId, status: 'enrolled' }, select: { id: true } })).map((s) => s.id) },
    },
    select: { studentId: true },
    distinct: ['studentId'],
    orderBy: { studentId: 'asc' },
  });
  return rows.map((r) => r.studentId);
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
