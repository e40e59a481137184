/** Recording attendance for a class: marks, the "taken" flag, and the ladder after every change. */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { AttendanceStatus, DateStr } from '../domain/types.js';
import { addMark, markClassTaken } from '../store/attendance.repository.js';
import { studentsWithOpenAlerts } from '../store/alert.repository.js';
import { applyLadder, type LadderOutcome } from './absence-alerts.js';

export interface MarkRequest {
  studentId: number;
  status: AttendanceStatus;
  note?: string;
}

export interface Recorded {
  studentId: number;
  status: AttendanceStatus;
  previous?: AttendanceStatus;
  ladder: LadderOutcome;
}

/**
 * Records marks for one class and date. When `wholeClass` is set (the class teacher took attendance),
 * every student of the class with an open alert who is not listed counts as present that day.
 */
export async function recordAttendance(
  deps: Deps,
  tx: Tx,
  r: { classId: number; date: DateStr; today: DateStr; marks: MarkRequest[]; wholeClass: boolean; reporterId: number; reporterName: string; chatRef: string },
): Promise<Recorded[]> {
  const at = deps.clock.now();
  const out: Recorded[] = [];
  const listed = new Set(r.marks.map((m) => m.studentId));
  const implicit: MarkRequest[] = [];
  if (r.wholeClass) {
    await markClassTaken(tx, r.classId, r.date, r.reporterId, r.chatRef, at);
    const alerted = await studentsWithOpenAlerts(tx, r.classId);
    for (const id of alerted) if (!listed.has(id)) implicit.push({ studentId: id, status: 'present' });
  }
  for (const m of [...r.marks, ...implicit]) {
    const { previous } = await addMark(tx, {
      studentId: m.studentId,
      date: r.date,
      status: m.status,
      ...(m.note ? { note: m.note } : {}),
      reportedById: r.reporterId,
      chatRef: r.chatRef,
      at,
    });
    const ladder = await applyLadder(deps, tx, m.studentId, r.today, r.reporterName);
    out.push({ studentId: m.studentId, status: m.status, ...(previous ? { previous: previous.status as AttendanceStatus } : {}), ladder });
  }
  return out;
}
