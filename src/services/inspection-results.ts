/** A school year's inspections per school (for 抽查 结果 and the annual assessment), and closing a 整改 notice. */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import {
  completeRectification,
  findingsInForce,
  rectificationById,
  rectificationsOf,
  schoolById,
  schoolNames,
  yellowCards,
} from '../store/inspection.repository.js';
import { peopleWithRole, type PersonRow } from '../store/org.repository.js';
import { sendToPerson } from './messenger.js';
import { schoolYearLabel, schoolYearRange } from './inspections.js';

export interface SchoolInspections {
  schoolId: number;
  schoolName: string;
  /** Visits: a school's day of a draw with at least one class recorded. */
  inspections: number;
  classesInspected: number;
  /** Failed inspections (each one a 整改 notice): the strikes of the school year. */
  failures: number;
  rectifications: { id: number; date: DateStr; deadline: DateStr; strike: number; completed: boolean }[];
  yellowCard: boolean;
}

/** Per school inspected in the school year ("2026" = 2026–2027), for the annual assessment; by school id. */
export async function inspectionSummary(tx: Tx, schoolYear: string): Promise<Map<number, SchoolInspections>> {
  const { from, to } = schoolYearRange(schoolYear);
  const findings = await findingsInForce(tx, { from, to });
  const rects = await rectificationsOf(tx, { schoolYear });
  const cards = new Set((await yellowCards(tx, { schoolYear })).map((c) => c.schoolId));
  const ids = [...new Set([...findings.map((f) => f.schoolId), ...rects.map((r) => r.schoolId)])];
  const names = await schoolNames(tx, ids);
  const out = new Map<number, SchoolInspections>();
  for (const id of ids.sort((a, b) => a - b)) {
    const mine = findings.filter((f) => f.schoolId === id);
    const own = rects.filter((r) => r.schoolId === id);
    out.set(id, {
      schoolId: id,
      schoolName: names.get(id) ?? `#${id}`,
      inspections: new Set(mine.map((f) => `${f.drawId}:${f.date}`)).size,
      classesInspected: mine.length,
      failures: own.length,
      rectifications: own.map((r) => ({ id: r.id, date: r.date, deadline: r.deadline, strike: r.strike, completed: r.completedAt !== null })),
      yellowCard: cards.has(id),
    });
  }
  return out;
}

/** zh-CN lines of the school year's results, for the county. */
export async function resultLines(tx: Tx, schoolYear: string, today: DateStr): Promise<string[]> {
  const all = [...(await inspectionSummary(tx, schoolYear)).values()];
  if (all.length === 0) return [`${schoolYearLabel(schoolYear)}还没有抽查记录。`];
  return [
    `${schoolYearLabel(schoolYear)}抽查结果（${all.length} 所学校）：`,
    ...all.map((s) => {
      const rect = s.rectifications.map(
        (r) => `#${r.id} ${r.completed ? '已整改' : r.deadline < today ? `逾期未整改（限 ${r.deadline}）` : `整改中（限 ${r.deadline}）`}`,
      );
      return `· ${s.schoolName}：抽查 ${s.inspections} 次（${s.classesInspected} 个班次），不合格 ${s.failures} 次${rect.length ? `；${rect.join('，')}` : ''}${s.yellowCard ? '；🟨 黄牌' : ''}`;
    }),
  ];
}

export class RectificationError extends Error {}

/** The principal reports a 整改 notice done; the town and the county are told. */
export async function completeRectificationBy(deps: Deps, tx: Tx, person: PersonRow, id: number, note: string): Promise<'done' | 'already'> {
  const r = await rectificationById(tx, id);
  if (!r || r.schoolId !== person.schoolId) throw new RectificationError(`整改通知 #${id} 不是发给贵校的，或不存在。请核对编号。`);
  const now = deps.clock.now();
  if (!(await completeRectification(tx, id, person.id, note, now))) return 'already';
  const school = await schoolById(tx, r.schoolId);
  const text = `✅ ${school.name}报告整改通知 #${id}（${r.date} 抽查不合格）已完成整改。说明：${note}`;
  for (const p of [...(await peopleWithRole(tx, 'town', { townId: school.townId })), ...(await peopleWithRole(tx, 'county'))])
    await sendToPerson(tx, now, p.id, text, { kind: 'inspection_rectified' });
  return 'done';
}
