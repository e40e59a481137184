/** Dropout cases: the domain state machine applied to the stored event log. */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import { applyCaseEvent, openCase, replayCase, CASE_STATE_LABELS, type CaseEvent, type DropoutCase } from '../domain/dropout-case.js';
import * as cases from '../store/case.repository.js';
import type { PersonRow, StudentFull } from '../store/org.repository.js';
import { followUpsOf } from '../store/follow-up.repository.js';
import { dayLabel } from './format.js';
import { returnedToSchool } from './student-status.js';

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
 * A pupil whose case is in its follow-up after 复学 gets no new case: that case goes back on the ledger (`relapse`)
 * and is returned as theirs.
 */
export async function openSuspectedCases(
  deps: Deps,
  tx: Tx,
  list: readonly { student: StudentFull; on: DateStr; people: { classTeachers: PersonRow[]; cadres: PersonRow[] } }[],
): Promise<Map<number, number>> {
  const open = await cases.studentsWithOpenCase(
    tx,
    list.map((x) => x.student.id),
  );
  const followed = await followUpsOf(tx, [...open]);
  const seen = new Set<number>();
  const todo = list.filter((x) => !open.has(x.student.id) && !seen.has(x.student.id) && seen.add(x.student.id));
  const at = deps.clock.now();
  const relapsed = new Map<number, number>();
  const relapses = list.filter(
    (x) => followed.has(x.student.id) && !relapsed.has(x.student.id) && relapsed.set(x.student.id, followed.get(x.student.id)!.caseId),
  );
  await cases.appendEvents(
    tx,
    relapses.map((x) => ({ caseId: followed.get(x.student.id)!.caseId, event: relapseEvent(x.on), byId: 0, newState: 'suspected' })),
    at,
  );
  const fresh = todo.map((x) => openCase(x.on, 'system'));
  const ids = await cases.createCases(
    tx,
    todo.map((x, i) => ({ studentId: x.student.id, openedOn: x.on, state: fresh[i]!.state })),
    at,
  );
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
  return new Map([...relapsed, ...todo.map((x, i): [number, number] => [x.student.id, ids[i]!])]);
}

const relapseEvent = (on: DateStr): CaseEvent => ({ type: 'relapse', at: on, by: 'system' });

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

/** The last of `n` school days after `on` (or the last school day the calendar knows, if it runs out first). */
export function followUpEnd(deps: Pick<Deps, 'calendar'>, on: DateStr, n: number): DateStr {
  let end = on;
  for (let i = 0; i < n; i++) {
    const next = deps.calendar.nextSchoolDay(end);
    if (!next) break;
    end = next;
  }
  return end;
}

/**
 * A student back at school (复学): their open case goes into the follow-up (跟踪中(复学后)) for
 * FOLLOW_UP_SCHOOL_DAYS school days; the daily duty closes it at the end (动态销号). Returns a note for the reply.
 */
export async function applyReturnToCase(
  deps: Deps,
  tx: Tx,
  studentId: number,
  byPersonId: number,
  on: DateStr,
  placement?: string,
): Promise<string | undefined> {
  const followUntil = followUpEnd(deps, on, deps.config.FOLLOW_UP_SCHOOL_DAYS);
  const event: CaseEvent = { type: 'return', at: on, by: String(byPersonId), returnedOn: on, followUntil, ...(placement ? { placement } : {}) };
  const r = await applyToOpenCase(deps, tx, studentId, event, byPersonId);
  if (!r) return undefined;
  if (!r.ok) return `个案未能转入复学跟踪：${r.reason}`;
  await returnedToSchool(tx, studentId);
  return `个案 #${r.caseId} 转为${caseLabel(r.state, followUntil)}：期间无故缺勤 1 天即请学校与村里联合家访，期满自动销号`;
}

/** A case's state as people read it; a follow-up shows its last day: 跟踪中(复学后)，至12月30日. */
export function caseLabel(state: string, followUntil?: DateStr): string {
  const label = CASE_STATE_LABELS[state as keyof typeof CASE_STATE_LABELS] ?? state;
  return state === 'following' && followUntil ? `${label}，至${dayLabel(followUntil)}` : label;
}

/** Ends a follow-up (动态销号) when its period is over; undefined when the case is no longer followed. */
export async function endFollowUp(deps: Deps, tx: Tx, studentId: number, on: DateStr): Promise<{ caseId: number } | undefined> {
  const row = await cases.openCaseOf(tx, studentId);
  if (!row || row.state !== 'following') return undefined;
  const r = applyCaseEvent(rebuild(row), { type: 'follow_up_end', at: on, by: 'system' });
  // still on the follow-up but not yet over, or not allowed: leave it
  if (!r.ok) return undefined;
  const e: CaseEvent = { type: 'follow_up_end', at: on, by: 'system' };
  await cases.appendEvent(tx, row.id, e, 0, r.case.state, deps.clock.now());
  return { caseId: row.id };
}
