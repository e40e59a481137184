/** Dropout cases: the domain state machine applied to the stored event log. */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import { applyCaseEvent, openCase, replayCase, CASE_STATE_LABELS, type CaseEvent, type DropoutCase } from '../domain/dropout-case.js';
import * as cases from '../store/case.repository.js';
import type { PersonRow, StudentFull } from '../store/org.repository.js';

type StoredCase = NonNullable<Awaited<ReturnType<typeof cases.openCaseOf>>>;

/** The domain case rebuilt from its stored events. */
export function rebuild(row: StoredCase): DropoutCase {
  const events = row.events.map((e) => JSON.parse(e.payload) as CaseEvent);
  const r = replayCase(row.openedOn, String(row.events[0]?.byId ?? 0), events);
  if (!r.ok) throw new Error(`case ${row.id} does not replay: ${r.reason}`);
  return r.case;
}

/** Opens a suspected-dropout case (疑似辍学学生台账) unless one is open, with both lines assigned (包保). */
export async function openSuspectedCase(
  deps: Deps,
  tx: Tx,
  s: StudentFull,
  on: DateStr,
  people: { classTeachers: PersonRow[]; cadres: PersonRow[] },
): Promise<number | undefined> {
  return (await openSuspectedCases(deps, tx, [{ student: s, on, people }])).get(s.id);
}

/**
 * The same for many students at once (the daily check): which already have an open case is read once, the new cases
 * and their assignments are written in multi-row inserts. Returns the new case of each student that got one.
 */
export async function openSuspectedCases(
  deps: Deps,
  tx: Tx,
  list: readonly { student: StudentFull; on: DateStr; people: { classTeachers: PersonRow[]; cadres: PersonRow[] } }[],
): Promise<Map<number, number>> {
  const open = await cases.studentsWithOpenCase(tx, list.map((x) => x.student.id));
  const seen = new Set<number>();
  const todo = list.filter((x) => !open.has(x.student.id) && !seen.has(x.student.id) && seen.add(x.student.id));
  const at = deps.clock.now();
  const fresh = todo.map((x) => openCase(x.on, 'system'));
  const ids = await cases.createCases(tx, todo.map((x, i) => ({ studentId: x.student.id, openedOn: x.on, state: fresh[i]!.state })), at);
  const events: { caseId: number; event: CaseEvent; byId: number; newState: string }[] = [];
  todo.forEach((x, i) => {
    const schoolLine = x.people.classTeachers[0];
    const townLine = x.people.cadres[0];
    if (!schoolLine || !townLine) return;
    const e: CaseEvent = { type: 'assign', at: x.on, by: 'system', schoolLineId: String(schoolLine.id), townLineId: String(townLine.id) };
    const r = applyCaseEvent(fresh[i]!, e);
    if (r.ok) events.push({ caseId: ids[i]!, event: e, byId: 0, newState: r.case.state });
  });
  await cases.appendEvents(tx, events, at);
  return new Map(todo.map((x, i) => [x.student.id, ids[i]!]));
}

export type CaseStep = { ok: true; caseId: number; state: string; label: string } | { ok: false; reason: string };

/** Applies one event to a student's open case and stores it; returns the refusal reason when illegal. */
export async function applyToOpenCase(deps: Deps, tx: Tx, studentId: number, event: CaseEvent, byPersonId: number): Promise<CaseStep | undefined> {
  const row = await cases.openCaseOf(tx, studentId);
  if (!row) return undefined;
  const r = applyCaseEvent(rebuild(row), event);
  if (!r.ok) return { ok: false, reason: r.reason };
  await cases.appendEvent(tx, row.id, event, byPersonId, r.case.state, deps.clock.now());
  return { ok: true, caseId: row.id, state: r.case.state, label: CASE_STATE_LABELS[r.case.state] };
}

/** A student back at school closes their open case (动态销号). Returns a note for the reply. */
export async function applyReturnToCase(deps: Deps, tx: Tx, studentId: number, byPersonId: number, on: DateStr): Promise<string | undefined> {
  const r = await applyToOpenCase(deps, tx, studentId, { type: 'return', at: on, by: String(byPersonId), returnedOn: on }, byPersonId);
  if (!r) return undefined;
  if (!r.ok) return `个案未能销号：${r.reason}`;
  await tx.student.update({ where: { id: studentId }, data: { status: 'enrolled' } });
  return `个案 #${r.caseId} 已销号（${r.label}）`;
}
