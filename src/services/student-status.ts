/**
 * A student's register (在籍状态 and class) changes here and nowhere else: every other module calls one of these
 * transitions, each writing the history that goes with it (a RegisterEvent where the register records one; the
 * dropout case keeps its own events in services/cases.ts). The guard test test/unit/store-door.test.ts fails when
 * any other file imports the store's register writes.
 *
 *   enrolled ──确认辍学──▶ dropped_out ──复学──▶ enrolled
 *   enrolled ──休学 / 借读 / 转出(学籍变动)──▶ suspended / borrowing / transferred_out   (+ RegisterEvent)
 *   enrolled ──转学生效──▶ transferred_out                                              (+ RegisterEvent transferred_out)
 *   any ──转学接收──▶ enrolled in the receiving class                                   (+ RegisterEvent transferred_out if not yet, transferred_in)
 *   any ──回执──▶ transferred_out (a transfer) / graduated (a leaver to junior high)     (+ RegisterEvent transferred_out if not yet)
 *   class ──重新编班──▶ another class of the school                                      (+ RegisterEvent reclassed)
 */
import type { Tx } from '../store/prisma.js';
import type { DateStr } from '../domain/types.js';
import { writeStudentClass, writeStudentStatus } from '../store/student.repository.js';
import { addRegisterEvent } from '../store/report.repository.js';
import { addRegisterEventIn } from '../store/transfer.repository.js';

/** A confirmed dropout (确认辍学): the case was confirmed (its event is the case's); the student counts as 辍学. */
export async function dropoutConfirmed(tx: Tx, studentId: number): Promise<void> {
  await writeStudentStatus(tx, studentId, 'dropped_out');
}

/** Back at school (复学): the case moved to its follow-up (its event is the case's); the student is enrolled again. */
export async function returnedToSchool(tx: Tx, studentId: number): Promise<void> {
  await writeStudentStatus(tx, studentId, 'enrolled');
}

/** A register change (学籍变动: 休学, 借读, 转出 without a named school): the status and a RegisterEvent of that change. */
export async function registerChanged(
  tx: Tx,
  e: { studentId: number; change: 'transferred_out' | 'suspended' | 'borrowing'; on: DateStr; byId: number; at: Date },
): Promise<void> {
  await writeStudentStatus(tx, e.studentId, e.change);
  await addRegisterEvent(tx, e);
}

/** A transfer took effect for a pupil with nothing open: off the roll on the transfer's date, with its RegisterEvent. */
export async function transferTookEffect(tx: Tx, e: { studentId: number; classId: number; on: DateStr; byId: number; at: Date }): Promise<void> {
  await writeStudentStatus(tx, e.studentId, 'transferred_out');
  await addRegisterEventIn(tx, { ...e, change: 'transferred_out' });
}

/**
 * A transfer completed: received into a class of the receiving school (enrolled there), or by a receipt (out of the
 * county: transferred_out; a leaver: graduated). A transfer not yet off the roll (it was held) gets its transferred_out
 * event first; a received transfer gets its transferred_in event.
 */
export async function transferCompleted(
  tx: Tx,
  s: { id: number; classId: number; status: string },
  kind: string,
  to: { classId: number } | null,
  on: DateStr,
  byId: number,
  at: Date,
): Promise<void> {
  if (kind === 'transfer' && s.status !== 'transferred_out') {
    await addRegisterEventIn(tx, { studentId: s.id, change: 'transferred_out', on, byId, classId: s.classId, at });
  }
  if (to) {
    await writeStudentStatus(tx, s.id, 'enrolled', to.classId);
    if (kind === 'transfer') await addRegisterEventIn(tx, { studentId: s.id, change: 'transferred_in', on, byId, classId: to.classId, at });
  } else {
    await writeStudentStatus(tx, s.id, kind === 'leaver' ? 'graduated' : 'transferred_out');
  }
}

/** Re-placement (重新调年级编班): the pupil moves to another class of the school; the move is a RegisterEvent (from, to). */
export async function movedToClass(
  tx: Tx,
  e: { studentId: number; fromClassId: number; toClassId: number; on: DateStr; byId: number; at: Date },
): Promise<void> {
  await writeStudentClass(tx, e);
}
