/** What scheduled duties read: classes and their groups, who has answered, who is absent, open cases and alerts. */
import type { Tx } from './prisma.js';

export type ClassRow = Awaited<ReturnType<typeof classesWithTeachers>>[number];

/** Every class with its school and its class teachers (active). */
export async function classesWithTeachers(db: Tx) {
  const [classes, teachers] = await Promise.all([
    db.schoolClass.findMany({ include: { school: { include: { town: true } } }, orderBy: [{ schoolId: 'asc' }, { stage: 'asc' }, { grade: 'asc' }, { classNo: 'asc' }] }),
    db.person.findMany({ where: { role: 'class_teacher', active: true }, orderBy: { id: 'asc' } }),
  ]);
  return classes.map((c) => ({ ...c, teachers: teachers.filter((t) => t.classId === c.id) }));
}

/** The group chats bound to each class now (a group's latest binding wins). */
export async function boundGroupsByClass(db: Tx): Promise<Map<number, string[]>> {
  const latest = new Map<string, number>();
  for (const b of await db.groupBinding.findMany({ orderBy: { id: 'asc' } })) latest.set(b.chatRef, b.classId);
  const out = new Map<number, string[]>();
  for (const [chatRef, classId] of latest) out.set(classId, [...(out.get(classId) ?? []), chatRef]);
  return out;
}

export async function classesCountedIn(db: Tx, week: string): Promise<Set<number>> {
  const rows = await db.weeklyCount.findMany({ where: { week }, select: { classId: true }, distinct: ['classId'] });
  return new Set(rows.map((r) => r.classId));
}

/** Classes whose attendance was taken on a date (今天全到, or any mark for one of its students). */
export async function classesTakenOn(db: Tx, date: string): Promise<Set<number>> {
  const [taken, marks] = await Promise.all([
    db.classAttendance.findMany({ where: { date }, select: { classId: true }, distinct: ['classId'] }),
    db.attendanceMark.findMany({ where: { date }, select: { studentId: true }, distinct: ['studentId'] }),
  ]);
  const students = await db.student.findMany({ where: { id: { in: marks.map((m) => m.studentId) } }, select: { classId: true } });
  return new Set([...taken.map((t) => t.classId), ...students.map((s) => s.classId)]);
}

/** Enrolled students whose mark in force on a date is truant. */
export async function truantOn(db: Tx, date: string): Promise<number[]> {
  const inForce = new Map<number, string>();
  for (const m of await db.attendanceMark.findMany({ where: { date }, orderBy: { id: 'asc' }, select: { studentId: true, status: true } })) inForce.set(m.studentId, m.status);
  const ids = [...inForce].filter(([, s]) => s === 'truant').map(([id]) => id);
  const enrolled = await db.student.findMany({ where: { id: { in: ids }, status: 'enrolled' }, select: { id: true }, orderBy: { id: 'asc' } });
  return enrolled.map((s) => s.id);
}

/** Open dropout cases with their students (for digests). */
export async function openCasesWithStudents(db: Tx) {
  return db.dropoutCase.findMany({
    where: { state: { notIn: ['returned', 'withdrawn'] } },
    orderBy: { id: 'asc' },
    include: { events: { orderBy: { id: 'asc' } } },
  });
}

/** Open alerts with recipients and the outbox status of what each was sent. */
export async function openAlertsWithRecipients(db: Tx) {
  return db.alert.findMany({ where: { status: 'open' }, include: { recipients: true }, orderBy: { id: 'asc' } });
}

export async function outboxStatuses(db: Tx, ids: number[]): Promise<Map<number, string>> {
  const rows = await db.outbox.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Whether a home visit to the student was logged for a day on or after `since` (the absence streak's first day). */
export async function visitedSince(db: Tx, studentId: number, since: string): Promise<boolean> {
  return (await db.homeVisit.count({ where: { studentId, date: { gte: since } } })) > 0;
}

/** Moves an alert up one escalation level, only from the level it is at (a second process finds it moved). */
export async function escalateAlert(db: Tx, alertId: number, from: string, to: string, at: Date): Promise<boolean> {
  const r = await db.alert.updateMany({ where: { id: alertId, status: 'open', escalation: from }, data: { escalation: to, escalatedAt: at } });
  return r.count === 1;
}
