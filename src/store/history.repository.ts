/**
 * The history behind a pupil's or a class-day's figures: the sealed records (marks and their corrections, roll calls,
 * weekly counts, register changes, home visits, case events) with who wrote them, when, and from which chat. Rows that
 * carry no chat (case events, register changes) take it from the audit line the router wrote in the same instant.
 */
import type { Tx } from './prisma.js';
import { writeKept } from './deferred-rows.js';

export interface HistoryRow {
  at: Date;
  byId: number;
  chatRef: string | null;
  /** Sorting within an instant: the row's table and id. */
  key: string;
  what:
    | { kind: 'mark'; id: number; studentId: number; date: string; status: string; supersedes?: string | undefined; studentName?: string }
    | { kind: 'roll_call'; date: string }
    | { kind: 'weekly'; week: string; rawText: string; corrects: boolean }
    | { kind: 'register'; change: string; on: string }
    | { kind: 'visit'; date: string; reason: string; outcome: string }
    | { kind: 'case'; type: string };
}

const statusOf = (rows: { id: number; status: string }[], id: number | null) => (id == null ? undefined : rows.find((r) => r.id === id)?.status);

interface MarkRecord {
  id: number;
  studentId: number;
  date: string;
  status: string;
  supersedesId: number | null;
  recordedAt: Date;
  reportedById: number;
  chatRef: string | null;
}

/** A mark as a history row; `marks` are those read with it, for the status a correction superseded. */
function markRow(m: MarkRecord, marks: MarkRecord[], studentName?: string): HistoryRow {
  return {
    at: m.recordedAt,
    byId: m.reportedById,
    chatRef: m.chatRef,
    key: `a${m.id}`,
    what: {
      kind: 'mark',
      id: m.id,
      studentId: m.studentId,
      date: m.date,
      status: m.status,
      supersedes: statusOf(marks, m.supersedesId),
      ...(studentName !== undefined ? { studentName } : {}),
    },
  };
}

export async function studentHistory(tx: Tx, studentId: number): Promise<HistoryRow[]> {
  const [marks, register, visits, events] = await Promise.all([
    tx.attendanceMark.findMany({ where: { studentId }, orderBy: { id: 'asc' } }),
    tx.registerEvent.findMany({ where: { studentId }, orderBy: { id: 'asc' } }),
    tx.homeVisit.findMany({ where: { studentId }, orderBy: { id: 'asc' } }),
    tx.caseEvent.findMany({ where: { case: { studentId } }, orderBy: { id: 'asc' } }),
  ]);
  const rows: HistoryRow[] = [
    ...marks.map((m) => markRow(m, marks)),
    ...register.map((r) => ({
      at: r.recordedAt,
      byId: r.byId,
      chatRef: null,
      key: `r${r.id}`,
      what: { kind: 'register' as const, change: r.change, on: r.on },
    })),
    ...visits.map((v) => ({
      at: v.recordedAt,
      byId: v.visitorId,
      chatRef: v.chatRef,
      key: `v${v.id}`,
      what: { kind: 'visit' as const, date: v.date, reason: v.reason, outcome: v.outcome },
    })),
    ...events
      .filter((e) => e.type !== 'home_visit')
      .map((e) => ({ at: e.recordedAt, byId: e.byId, chatRef: null, key: `c${e.id}`, what: { kind: 'case' as const, type: e.type } })),
  ];
  return withChats(tx, rows);
}

export async function classDayHistory(tx: Tx, classId: number, date: string, week: string): Promise<HistoryRow[]> {
  // The class's pupils once: their ids select the marks, their names label them.
  const names = new Map((await tx.student.findMany({ where: { classId }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const [marks, calls, counts] = await Promise.all([
    tx.attendanceMark.findMany({ where: { date, studentId: { in: [...names.keys()] } }, orderBy: { id: 'asc' } }),
    tx.classAttendance.findMany({ where: { classId, date }, orderBy: { id: 'asc' } }),
    tx.weeklyCount.findMany({ where: { classId, week }, orderBy: { id: 'asc' } }),
  ]);
  const rows: HistoryRow[] = [
    ...marks.map((m) => markRow(m, marks, names.get(m.studentId) ?? '')),
    ...calls.map((c) => ({ at: c.recordedAt, byId: c.reportedById, chatRef: c.chatRef, key: `b${c.id}`, what: { kind: 'roll_call' as const, date: c.date } })),
    ...counts.map((w) => ({
      at: w.recordedAt,
      byId: w.reportedById,
      chatRef: w.chatRef,
      key: `w${w.id}`,
      what: { kind: 'weekly' as const, week: w.week, rawText: w.rawText, corrects: w.supersedesId != null },
    })),
  ];
  return withChats(tx, rows);
}

/** Fills in the chat of rows that have none from the audit line of the same person at the same instant; sorts by time. */
async function withChats(tx: Tx, rows: HistoryRow[]): Promise<HistoryRow[]> {
  const missing = rows.filter((r) => r.chatRef === null && r.byId > 0);
  if (missing.length) {
    await writeKept(tx);
    const lines = await tx.auditLog.findMany({
      where: {
        actorId: { in: [...new Set(missing.map((r) => r.byId))] },
        at: { in: [...new Set(missing.map((r) => r.at.getTime()))].map((t) => new Date(t)) },
      },
    });
    const chatAt = new Map(lines.map((l) => [`${l.actorId}|${l.at.getTime()}`, l.chatRef]));
    for (const r of missing) r.chatRef = chatAt.get(`${r.byId}|${r.at.getTime()}`) ?? null;
  }
  return rows.sort((a, b) => a.at.getTime() - b.at.getTime() || a.key.localeCompare(b.key));
}

export async function namesOf(tx: Tx, ids: number[]): Promise<Map<number, { name: string; role: string }>> {
  const people = await tx.person.findMany({ where: { id: { in: [...new Set(ids)].filter((i) => i > 0) } }, select: { id: true, name: true, role: true } });
  return new Map(people.map((p) => [p.id, p]));
}

/** Classes named `name` within the area the asker sees (a school, a town's schools, or the county). */
export async function classesNamed(tx: Tx, name: string, where: { classId?: number; schoolId?: number; townId?: number; schoolName?: string }) {
  return tx.schoolClass.findMany({
    where: {
      name,
      ...(where.classId !== undefined ? { id: where.classId } : {}),
      school: {
        ...(where.schoolId !== undefined ? { id: where.schoolId } : {}),
        ...(where.townId !== undefined ? { townId: where.townId } : {}),
        ...(where.schoolName ? { name: where.schoolName } : {}),
      },
    },
    include: { school: true },
    orderBy: { id: 'asc' },
  });
}
