/**
 * Drawing, revealing and verifying a quarter's inspection draw. The seed comes from node:crypto; the draw itself is
 * derived from it in the domain. One draw per quarter: drawing again shows the one on record.
 */
import { randomBytes } from 'node:crypto';
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import { addDays } from '../domain/calendar.js';
import { makeDraw, quarterRange, verifyDraw, type DrawPayload } from '../domain/inspection-draw.js';
import { drawCandidates, drawOf, markRevealed, saveDraw } from '../store/inspection.repository.js';
import { peopleWithRole } from '../store/org.repository.js';
import { sendToPerson } from './messenger.js';

export const DEFAULT_SCHOOLS = 3;
export const DEFAULT_CLASSES_PER_SCHOOL = 2;

export class DrawError extends Error {}

export type DrawRow = NonNullable<Awaited<ReturnType<typeof drawOf>>>;

export const payloadOf = (d: DrawRow): DrawPayload => JSON.parse(d.payload) as DrawPayload;

/** Draws the quarter (school days from tomorrow to the quarter's end), stores it and tells the towns the commitment. */
export async function drawQuarter(
  deps: Deps,
  tx: Tx,
  r: { quarter: string; schools?: number; classesPerSchool?: number; byId: number | null; today: DateStr },
): Promise<{ draw: DrawRow; fresh: boolean }> {
  const range = quarterRange(r.quarter);
  if (!range) throw new DrawError(`“${r.quarter}”不是季度，应写成 2026Q4 这样。`);
  const quarter = r.quarter.toUpperCase();
  const existing = await drawOf(tx, quarter);
  if (existing) return { draw: existing, fresh: false };
  const from = addDays(r.today, 1) > range.start ? addDays(r.today, 1) : range.start;
  const days = from > range.end ? [] : deps.calendar.schoolDaysBetween(from, range.end);
  if (days.length === 0) throw new DrawError(`${quarter} 从明天起已没有上课日，无法抽签（抽查日期须在今后的上课日）。`);
  const schools = r.schools ?? DEFAULT_SCHOOLS;
  const classesPerSchool = r.classesPerSchool ?? DEFAULT_CLASSES_PER_SCHOOL;
  if (!Number.isInteger(schools) || schools < 1 || !Number.isInteger(classesPerSchool) || classesPerSchool < 1)
    throw new DrawError('学校数和每校班级数应为正整数。');
  const seed = randomBytes(32).toString('hex');
  const made = makeDraw(seed, { quarter, schools, classesPerSchool }, await drawCandidates(tx, days));
  if (made.payload.draw.length === 0) throw new DrawError('县里还没有带班级的学校，无法抽签。');
  const now = deps.clock.now();
  const draw = await saveDraw(tx, { quarter, payload: made.json, seed, commitment: made.commitment, drawnById: r.byId, at: now });
  // On record before the visits: the towns get the commitment, not the draw.
  for (const t of await peopleWithRole(tx, 'town')) {
    await sendToPerson(
      tx,
      now,
      t.id,
      `📌 县教育局已完成 ${quarter} 季度不定期抽查的抽签。抽签承诺值（SHA-256）：\n${made.commitment}\n请留存。抽查结束后将公开抽签结果和随机种子，届时可核对抽签没有被改动。`,
      { kind: 'inspection_commitment' },
    );
  }
  return { draw, fresh: true };
}

/** The draw as the county reads it: one line per school, with its day and classes. */
export function drawLines(d: DrawRow): string[] {
  return [...payloadOf(d).draw]
    .sort((a, b) => (a.date === b.date ? a.schoolId - b.schoolId : a.date < b.date ? -1 : 1))
    .map((s) => `· ${s.date} ${s.schoolName}：${s.classes.map((c) => c.className).join('、')}`);
}

/** Reveals seed and draw to the towns and county (once); false when it was already revealed. */
export async function revealDraw(deps: Deps, tx: Tx, d: DrawRow, byId: number | null): Promise<boolean> {
  const now = deps.clock.now();
  if (!(await markRevealed(tx, d.id, byId, now))) return false;
  const text = [
    `📢 ${d.quarter} 季度抽查已结束，公开抽签：`,
    ...drawLines(d),
    `随机种子：${d.seed}`,
    `承诺值：${d.commitment}`,
    `核验：npm run cli -- inspection verify --quarter ${d.quarter} --commitment <抽签时收到的承诺值>`,
  ].join('\n');
  for (const p of [...(await peopleWithRole(tx, 'town')), ...(await peopleWithRole(tx, 'county'))])
    await sendToPerson(tx, now, p.id, text, { kind: 'inspection_reveal' });
  return true;
}

/** zh-CN problems of a stored draw (empty when it verifies). */
export function verifyStored(d: DrawRow, announced?: string): string[] {
  return verifyDraw({ quarter: d.quarter, payloadJson: d.payload, seed: d.seed, commitment: d.commitment, ...(announced !== undefined ? { announced } : {}) });
}
