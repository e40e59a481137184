/**
 * Recording attendance for a class: marks, the "taken" flag, and the ladder after every change.
 *
 * How a report meets what is already recorded for that day:
 * - `add` (缺勤): teachers report absentees as they notice them. A pupil with no mark is added; a pupil already
 *   recorded the same way is left as is ("already recorded"); a pupil the teacher already recorded differently is
 *   left too — only 更正 or a whole-day list changes a teacher's earlier statement. A pupil who was only implicitly
 *   present (the class took attendance without naming them) is not a statement: 缺勤 adds them.
 * - `correct` (更正): changes the pupil's mark (the old one is kept, superseded).
 * - `whole_day` (缺勤名单): "these are ALL the absentees": listed pupils get the listed reason (changed if it
 *   differed), and pupils recorded absent that day but not listed become 到校.
 * When `takesClass` is set (the class teacher reported), the class's attendance counts as taken that day: a pupil
 * of the class with no mark was present, and alerted pupils not named go through the ladder again.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { AttendanceStatus, DateStr } from '../domain/types.js';
import { addMark, classMarkRowsOn, currentMark, isStatement, takeClassAttendance } from '../store/attendance.repository.js';
import { applyLadderMany, type LadderOutcome } from './absence-alerts.js';
import type { DayMark } from '../store/org.repository.js';

export interface MarkRequest {
  studentId: number;
  status: AttendanceStatus;
  note?: string;
}

/**
 * What happened to one pupil: `added` (no statement before), `changed` (from `previous`), `same` (already recorded
 * so), `kept` (recorded differently before and left: 缺勤 does not overwrite), `now_present` (not on a whole-day
 * list, so 到校), `implicit` (alerted pupil not named on a day the class took attendance: counted present).
 */
export type MarkKind = 'added' | 'changed' | 'same' | 'kept' | 'now_present' | 'implicit';

export interface Recorded {
  studentId: number;
  /** The mark in force now. */
  status: AttendanceStatus;
  previous?: AttendanceStatus;
  /** What the teacher asked for, when it was not applied (`kept`). */
  requested?: AttendanceStatus;
  kind: MarkKind;
  ladder: LadderOutcome;
}

export type RecordMode = 'add' | 'correct' | 'whole_day';

export async function recordAttendance(
  deps: Deps,
  tx: Tx,
  r: {
    classId: number;
    date: DateStr;
    today: DateStr;
    marks: MarkRequest[];
    /**
     * The listed pupils' marks in force on `date` (null: none), when the caller read them in this transaction before
     * anything was written (resolveStudentWithMark): not read again. A pupil not in it is read here.
     */
    marksRead?: ReadonlyMap<number, DayMark>;
    mode: RecordMode;
    /** `whole_day`: the class's marks that day (classMarkRowsOn) when the caller read them in this transaction already. */
    dayMarks?: Awaited<ReturnType<typeof classMarkRowsOn>>;
    takesClass: boolean;
    reporterId: number;
    reporterName: string;
    chatRef: string;
  },
): Promise<Recorded[]> {
  const at = deps.clock.now();
  const out: Omit<Recorded, 'ladder'>[] = [];
  const listed = new Set(r.marks.map((m) => m.studentId));
  const write = (m: MarkRequest) =>
    addMark(tx, {
      studentId: m.studentId,
      date: r.date,
      status: m.status,
      ...(m.note ? { note: m.note } : {}),
      reportedById: r.reporterId,
      chatRef: r.chatRef,
      at,
    });

  const unread = new Map(r.marksRead);
  for (const m of r.marks) {
    // a pupil listed twice is read again the second time: the first may have written
    const prev = unread.has(m.studentId) ? unread.get(m.studentId)! : await currentMark(tx, m.studentId, r.date);
    unread.delete(m.studentId);
    const previous = prev ? (prev.status as AttendanceStatus) : undefined;
    const stated = prev !== null && isStatement(prev);
    if (previous === m.status && (stated || m.status !== 'present')) {
      out.push({ studentId: m.studentId, status: m.status, previous, kind: 'same' });
    } else if (stated && r.mode === 'add') {
      out.push({ studentId: m.studentId, status: previous!, previous, requested: m.status, kind: 'kept' });
    } else {
      await write(m);
      out.push({ studentId: m.studentId, status: m.status, ...(stated ? { previous } : {}), kind: stated ? 'changed' : 'added' });
    }
  }
  if (r.mode === 'whole_day') {
    // Read before any mark above was written: a caller's read (dayMarks) is as good only when there were none.
    const dayMarks = r.dayMarks && r.marks.length === 0 ? r.dayMarks : await classMarkRowsOn(tx, r.classId, r.date);
    for (const [studentId, mark] of dayMarks) {
      if (listed.has(studentId) || mark.status === 'present') continue;
      await write({ studentId, status: 'present', note: '缺勤名单未列，记为到校' });
      out.push({ studentId, status: 'present', previous: mark.status as AttendanceStatus, kind: 'now_present' });
    }
  }
  if (r.takesClass) {
    for (const id of await takeClassAttendance(tx, r.classId, r.date, r.reporterId, r.chatRef, at)) {
      if (!listed.has(id)) out.push({ studentId: id, status: 'present', kind: 'implicit' });
    }
  }
  // the ladder again for every pupil whose day changed (a past day filled in re-runs it too), set-based
  const touched = out.filter((o) => o.kind !== 'same' && o.kind !== 'kept').map((o) => o.studentId);
  const ladder = touched.length > 0 ? await applyLadderMany(deps, tx, touched, r.today, r.reporterName) : new Map<number, LadderOutcome>();
  return out.map((o) => ({ ...o, ladder: ladder.get(o.studentId) ?? { raised: [], closed: [] } }));
}
