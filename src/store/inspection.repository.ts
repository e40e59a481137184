/** Inspection draws, findings, rectifications (整改) and yellow cards (黄牌). Findings are append-only. */
import type { Tx } from './prisma.js';
import type { DateStr } from '../domain/types.js';
import type { Candidates } from '../domain/inspection-draw.js';
import { inChunks } from './duty.repository.js';

export async function drawOf(db: Tx, quarter: string) {
  return db.inspectionDraw.findUnique({ where: { quarter } });
}

export async function saveDraw(db: Tx, d: { quarter: string; payload: string; seed: string; commitment: string; drawnById: number | null; at: Date }) {
  return db.inspectionDraw.create({
    data: { quarter: d.quarter, payload: d.payload, seed: d.seed, commitment: d.commitment, drawnById: d.drawnById, drawnAt: d.at },
  });
}

/** Sets revealedAt once; false when it was already revealed. */
export async function markRevealed(db: Tx, drawId: number, byId: number | null, at: Date): Promise<boolean> {
  const r = await db.inspectionDraw.updateMany({ where: { id: drawId, revealedAt: null }, data: { revealedAt: at, revealedById: byId } });
  return r.count === 1;
}

/** Every school with its classes, for the draw's candidates (sorted later, in the domain). */
export async function drawCandidates(db: Tx, days: DateStr[]): Promise<Candidates> {
  const schools = await db.school.findMany({ select: { id: true, name: true, classes: { select: { id: true, name: true } } }, orderBy: { id: 'asc' } });
  return { days, schools: schools.map((s) => ({ id: s.id, name: s.name, classes: s.classes })) };
}

export async function enrolledOf(db: Tx, classId: number) {
  return db.student.findMany({ where: { classId, status: 'enrolled' }, select: { id: true, name: true, studentNo: true }, orderBy: { id: 'asc' } });
}

export async function attendanceTaken(db: Tx, classId: number, date: DateStr): Promise<boolean> {
  return (await db.classAttendance.count({ where: { classId, date } })) > 0;
}

export interface FindingInput {
  drawId: number;
  schoolId: number;
  classId: number;
  date: DateStr;
  enrolled: number;
  presentFound: number;
  presentRecorded: number;
  taken: boolean;
  absentIds: number[];
  mismatches: { absentNotMarked: number[]; markedNotAbsent: number[] };
  failed: boolean;
  byId: number | null;
  chatRef: string;
  at: Date;
}

/** Appends a finding; a finding for the same class and day before it is superseded, not changed. */
export async function addFinding(db: Tx, f: FindingInput) {
  const previous = await db.inspectionFinding.findFirst({ where: { classId: f.classId, date: f.date }, orderBy: { id: 'desc' } });
  return db.inspectionFinding.create({
    data: {
      drawId: f.drawId,
      schoolId: f.schoolId,
      classId: f.classId,
      date: f.date,
      enrolled: f.enrolled,
      presentFound: f.presentFound,
      presentRecorded: f.presentRecorded,
      taken: f.taken,
      absentIds: JSON.stringify(f.absentIds),
      mismatches: JSON.stringify(f.mismatches),
      failed: f.failed,
      byId: f.byId,
      chatRef: f.chatRef,
      recordedAt: f.at,
      supersedesId: previous?.id ?? null,
    },
  });
}

export type FindingRow = Awaited<ReturnType<typeof addFinding>>;

/** The findings in force (latest per class and day), optionally of one school and between two days. */
export async function findingsInForce(db: Tx, where: { drawId?: number; schoolId?: number; from?: DateStr; to?: DateStr }): Promise<FindingRow[]> {
  const rows = await db.inspectionFinding.findMany({
    where: {
      ...(where.drawId !== undefined ? { drawId: where.drawId } : {}),
      ...(where.schoolId !== undefined ? { schoolId: where.schoolId } : {}),
      ...(where.from || where.to ? { date: { ...(where.from ? { gte: where.from } : {}), ...(where.to ? { lte: where.to } : {}) } } : {}),
    },
    orderBy: { id: 'asc' },
  });
  const latest = new Map<string, FindingRow>();
  for (const r of rows) latest.set(`${r.classId}:${r.date}`, r);
  return [...latest.values()].sort((a, b) => (a.date === b.date ? a.id - b.id : a.date < b.date ? -1 : 1));
}

export async function rectificationFor(db: Tx, drawId: number, schoolId: number) {
  return db.rectification.findUnique({ where: { drawId_schoolId: { drawId, schoolId } } });
}

export async function rectificationById(db: Tx, id: number) {
  return db.rectification.findUnique({ where: { id } });
}

export async function rectificationsOf(db: Tx, where: { schoolId?: number; schoolYear?: string }) {
  return db.rectification.findMany({ where, orderBy: { id: 'asc' } });
}

export async function addRectification(db: Tx, r: { drawId: number; schoolId: number; schoolYear: string; date: DateStr; deadline: DateStr; at: Date }) {
  const strike = (await db.rectification.count({ where: { schoolId: r.schoolId, schoolYear: r.schoolYear } })) + 1;
  return db.rectification.create({
    data: { drawId: r.drawId, schoolId: r.schoolId, schoolYear: r.schoolYear, date: r.date, deadline: r.deadline, strike, issuedAt: r.at },
  });
}

/** Sets the completion once; false when it was already completed. */
export async function completeRectification(db: Tx, id: number, byId: number, note: string, at: Date): Promise<boolean> {
  const r = await db.rectification.updateMany({ where: { id, completedAt: null }, data: { completedAt: at, completedById: byId, completionNote: note } });
  return r.count === 1;
}

/** Gives the school its yellow card for the school year once; false when it already has one. */
export async function addYellowCard(db: Tx, schoolId: number, schoolYear: string, rectificationId: number, at: Date): Promise<boolean> {
  if (await db.schoolYellowCard.findUnique({ where: { schoolId_schoolYear: { schoolId, schoolYear } } })) return false;
  await db.schoolYellowCard.create({ data: { schoolId, schoolYear, rectificationId, at } });
  return true;
}

export async function yellowCards(db: Tx, where: { schoolId?: number; schoolYear?: string }) {
  return db.schoolYellowCard.findMany({ where, orderBy: { id: 'asc' } });
}

export async function schoolById(db: Tx, id: number) {
  return db.school.findUniqueOrThrow({ where: { id } });
}

export async function schoolNames(db: Tx, ids: number[]): Promise<Map<number, string>> {
  return new Map(
    (await inChunks([...new Set(ids)], (chunk) => db.school.findMany({ where: { id: { in: chunk } }, select: { id: true, name: true } }))).map((s) => [
      s.id,
      s.name,
    ]),
  );
}

export async function classNames(db: Tx, ids: number[]): Promise<Map<number, string>> {
  return new Map(
    (await inChunks([...new Set(ids)], (chunk) => db.schoolClass.findMany({ where: { id: { in: chunk } }, select: { id: true, name: true } }))).map((c) => [
      c.id,
      c.name,
    ]),
  );
}

/** A school's 整改 notices for inspections between two days, and the yellow cards they led to. */
export async function rectificationsBetween(db: Tx, schoolId: number, from: DateStr, to: DateStr) {
  const rects = await db.rectification.findMany({ where: { schoolId, date: { gte: from, lte: to } }, orderBy: { id: 'asc' } });
  const cards = await db.schoolYellowCard.findMany({ where: { rectificationId: { in: rects.map((r) => r.id) } } });
  return { rects, cards };
}
