/**
 * Weekly class counts (班级每周一统计): append-only; a later count for the same class and week supersedes the earlier
 * one (`supersedesId`), so the row with the highest id per (classId, week) is in force.
 *
 * Columns of WeeklyCount, for readers such as the monthly report: `enrolled` 应到, `present` 实到, `leave` 请假 in
 * total, `sick` 病假 and `personal` 事假 (both null when the teacher gave only a 请假 total, and in rows written before
 * they existed; otherwise leave = sick + personal), `truant` 旷课, `dropout` 辍学, `returned` 复学/劝返返校 — each
 * null when the teacher did not state it. `rawText` is the teacher's words, `note` the teacher's reason when the bot
 * asked about the count (it differed from the roll or from the week's daily marks) and the teacher confirmed it.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { int, text } from './raw-rows.js';
import type { AttendanceStatus, CountFigures, DateStr } from '../domain/types.js';
import type { MarkedPupil } from '../domain/weekly-count-checks.js';
import { executeStatement, queryRows } from './direct.js';

export async function latestCount(db: Tx, classId: number, week: string) {
  return db.weeklyCount.findFirst({ where: { classId, week }, orderBy: { id: 'desc' } });
}

export async function addCount(
  db: Tx,
  c: { classId: number; week: string; figures: CountFigures; rawText: string; reportedById: number; chatRef: string; at: Date; note?: string },
) {
  const previous = await latestCount(db, c.classId, c.week);
  const f = c.figures;
  const row = await db.weeklyCount.create({
    data: {
      classId: c.classId,
      week: c.week,
      enrolled: f.enrolled ?? null,
      present: f.present ?? null,
      leave: f.leave ?? null,
      sick: f.sick ?? null,
      personal: f.personal ?? null,
      truant: f.truant ?? null,
      dropout: f.dropout ?? null,
      returned: f.returned ?? null,
      rawText: c.rawText,
      reportedById: c.reportedById,
      chatRef: c.chatRef,
      recordedAt: c.at,
      supersedesId: previous?.id ?? null,
      note: c.note ?? null,
    },
  });
  return { row, previous };
}

/** The count in force per class for the given weeks. */
export async function countsInForce(db: Tx, classIds: number[], weeks: string[]) {
  const rows = await db.weeklyCount.findMany({ where: { classId: { in: classIds }, week: { in: weeks } }, orderBy: { id: 'asc' } });
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) latest.set(`${r.classId}|${r.week}`, r);
  return [...latest.values()];
}

// The questions about a count (PendingConfirmation) in SQL (direct.ts): a count that differs from the roll or the week's
// marks, and every count that answers one, are weekly-count messages; Prisma's model queries cost a millisecond each.

/** A new open question. The caller closes the ones it replaces first (closeCountQuestions: the person's, in any chat). */
export async function addPending(db: Tx, p: { personId: number; chatRef: string; kind: string; payload: unknown; at: Date; expiresAt: Date }): Promise<void> {
  await executeStatement(
    db,
    Prisma.sql`INSERT INTO "PendingConfirmation" ("personId", "chatRef", "kind", "payload", "createdAt", "expiresAt") VALUES (${p.personId}, ${p.chatRef}, ${p.kind}, ${JSON.stringify(p.payload)}, ${p.at}, ${p.expiresAt})`,
  );
}

export async function resolvePending(db: Tx, id: number, at: Date, resolution: string): Promise<void> {
  await executeStatement(db, Prisma.sql`UPDATE "PendingConfirmation" SET "resolvedAt" = ${at}, "resolution" = ${resolution} WHERE "id" = ${id}`);
}

/**
 * What a weekly count is checked against, in one statement (a weekly count message reads it): how many of the class's
 * pupils are enrolled, and its pupils (whatever their status) with an absence in force on some day from `from` to `to`
 * (latest mark per pupil and day).
 */
export async function rollAndAbsences(db: Tx, classId: number, from: DateStr, to: DateStr): Promise<{ enrolled: number; marked: MarkedPupil[] }> {
  // SQL (raw-rows.ts): each pupil once with no mark in the days, else once per mark, in the order the marks were made.
  const rows = await queryRows<{ id: unknown; name: unknown; status: unknown; date: unknown; mark: unknown }>(
    db,
    Prisma.sql`SELECT s."id" AS "id", s."name" AS "name", s."status" AS "status", m."date" AS "date", m."status" AS "mark" FROM "Student" s
      LEFT JOIN "AttendanceMark" m ON m."studentId" = s."id" AND m."date" >= ${from} AND m."date" <= ${to}
      WHERE s."classId" = ${classId} ORDER BY s."id" ASC, m."id" ASC`,
  );
  const pupils = new Map<number, { name: string; enrolled: boolean; byDay: Map<string, AttendanceStatus> }>();
  for (const r of rows) {
    const id = int(r.id);
    let p = pupils.get(id);
    if (!p) pupils.set(id, (p = { name: text(r.name), enrolled: text(r.status) === 'enrolled', byDay: new Map() }));
    if (r.date !== null) p.byDay.set(text(r.date), text(r.mark) as AttendanceStatus);
  }
  let enrolled = 0;
  const marked: MarkedPupil[] = [];
  for (const p of pupils.values()) {
    if (p.enrolled) enrolled++;
    const statuses = [...p.byDay.values()].filter((s) => s !== 'present');
    if (statuses.length > 0) marked.push({ name: p.name, statuses });
  }
  return { enrolled, marked };
}

/** The person's open question about a weekly count, from any chat (the details went by DM; the answer may come there). */
export async function openCountQuestion(db: Tx, personId: number, chatRef: string, at: Date): Promise<{ id: number; payload: string } | null> {
  // The latest asked in this chat, else the latest asked anywhere.
  const rows = await queryRows<{ id: unknown; payload: unknown }>(
    db,
    Prisma.sql`SELECT "id", "payload" FROM "PendingConfirmation" WHERE "personId" = ${personId} AND "kind" = ${'weekly_count'} AND "resolvedAt" IS NULL AND "expiresAt" > ${at}
      ORDER BY CASE WHEN "chatRef" = ${chatRef} THEN 0 ELSE 1 END, "id" DESC LIMIT 1`,
  );
  return rows[0] ? { id: int(rows[0].id), payload: text(rows[0].payload) } : null;
}

/** Closes the person's open questions about weekly counts (a new count was sent instead). */
export async function closeCountQuestions(db: Tx, personId: number, at: Date, resolution: string): Promise<void> {
  await executeStatement(
    db,
    Prisma.sql`UPDATE "PendingConfirmation" SET "resolvedAt" = ${at}, "resolution" = ${resolution} WHERE "personId" = ${personId} AND "kind" = ${'weekly_count'} AND "resolvedAt" IS NULL`,
  );
}
