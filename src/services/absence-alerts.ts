/**
 * The graduated absence ladder applied to one student after any change of their attendance:
 * raises the steps newly reached (direct messages to both responsibility lines), and closes alerts whose
 * streak no longer holds — withdrawn when the absence was corrected, resolved when the student came back.
 * Messages not yet sent are cancelled; people already told are told it is over.
 *
 * The history it reads is what is KNOWN (marks, and 'present' on days the class took attendance); days nobody
 * recorded are unknown and skipped (domain/absence.ts). A pupil followed after 复学 (case `following`) is judged by
 * the follow-up policy: one unexcused day is the joint home visit.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import { consecutiveUnexcusedSchoolDays, followUpPolicy, ladderSteps, type AttendanceHistory, type LadderStep } from '../domain/absence.js';
import { addDays } from '../domain/calendar.js';
import { knownHistoriesOf } from '../store/attendance.repository.js';
import { followUpsOf } from '../store/follow-up.repository.js';
import { studentById, type StudentFull } from '../store/org.repository.js';
import { studentsByIds } from '../store/duty.repository.js';
import { alertText, peopleFor, peopleForMany, recipientsFor, type People } from './alert-recipients.js';
import * as alerts from '../store/alert.repository.js';
import type { AlertRow } from '../store/alert.repository.js';
import { cancelPending, statusOf } from '../store/outbox.repository.js';
import { sendToPerson } from './messenger.js';
import { directBatch, type DirectBatch } from './direct-sender.js';
import { dayLabel } from './format.js';
import { applyToOpenCase, openSuspectedCases } from './cases.js';
import { ATTENDANCE_LABELS, type AttendanceStatus, type DateStr } from '../domain/types.js';

export interface LadderOutcome {
  raised: { alertId: number; step: LadderStep; recipients: number }[];
  closed: { alertId: number; step: LadderStep; how: 'withdrawn' | 'resolved' }[];
}

/** What the ladder does for one student: alerts to close (and how), steps to raise. Pure. */
export interface LadderPlan {
  today: DateStr;
  asOf: DateStr;
  streak: { days: number; since?: DateStr };
  close: { alert: AlertRow; how: 'withdrawn' | 'resolved' }[];
  raise: LadderStep[];
}

/** `followUp`: the pupil is followed after 复学 (one unexcused day reaches the joint home visit). */
export function planLadder(
  deps: Pick<Deps, 'calendar' | 'policy'>,
  history: AttendanceHistory,
  open: readonly AlertRow[],
  today: DateStr,
  followUp = false,
): LadderPlan {
  const policy = followUp ? followUpPolicy(deps.policy) : deps.policy;
  const known = [...history.keys()].filter((d) => d <= today).sort();
  const asOf = known.at(-1) ?? today;
  const streak = consecutiveUnexcusedSchoolDays(history, deps.calendar, asOf);
  const reached = ladderSteps(streak.days, policy);
  const close: LadderPlan['close'] = [];
  for (const a of open) {
    if (a.streakSince === streak.since && reached.includes(a.step as LadderStep)) continue;
    // Still true of the day it was raised → the student came back since (resolved); otherwise a correction undid it.
    const then = consecutiveUnexcusedSchoolDays(history, deps.calendar, a.raisedOn);
    const stillHeld = then.since === a.streakSince && ladderSteps(then.days, policy).includes(a.step as LadderStep);
    close.push({ alert: a, how: stillHeld ? 'resolved' : 'withdrawn' });
  }
  const kept = open.filter((a) => !close.some((c) => c.alert.id === a.id));
  const raise = streak.since ? reached.filter((step) => !kept.some((a) => a.step === step && a.streakSince === streak.since)) : [];
  return { today, asOf, streak, close, raise };
}

export async function applyLadder(deps: Deps, tx: Tx, studentId: number, today: DateStr, actorName: string): Promise<LadderOutcome> {
  const student = await studentById(tx, studentId);
  if (!student) throw new Error(`student ${studentId} not found`);
  const history = (await knownHistoriesOf(tx, [student], addDays(today, -120))).get(studentId)!;
  const followed = (await followUpsOf(tx, [studentId])).has(studentId);
  const plan = planLadder(deps, history, await alerts.openAlertsOf(tx, studentId), today, followed);
  const people = plan.raise.length > 0 ? await peopleFor(tx, student) : undefined;
  const batch = await directBatch(
    tx,
    deps.clock.now(),
    people
      ? Object.values(people)
          .flat()
          .map((p) => p.id)
      : [],
  );
  return (await carryOut(deps, tx, [{ student, history, plan, ...(people ? { people } : {}) }], actorName, batch)).get(studentId)!;
}

/**
 * The ladder for many students at once (the daily check): their students, marks, open alerts, responsible people
 * and direct chats are read in a few set-based queries, each student's plan is worked out in memory, and the new
 * alerts and their recipients are written in multi-row inserts.
 */
export async function applyLadderMany(
  deps: Deps,
  tx: Tx,
  studentIds: readonly number[],
  today: DateStr,
  actorName: string,
): Promise<Map<number, LadderOutcome>> {
  const ids = [...new Set(studentIds)];
  const [students, open, followed] = await Promise.all([studentsByIds(tx, ids), alerts.openAlertsOfMany(tx, ids), followUpsOf(tx, ids)]);
  const histories = await knownHistoriesOf(
    tx,
    ids.map((id) => {
      const student = students.get(id);
      if (!student) throw new Error(`student ${id} not found`);
      return student;
    }),
    addDays(today, -120),
  );
  const plans = ids.map((id) => {
    const student = students.get(id)!;
    return { student, history: histories.get(id)!, plan: planLadder(deps, histories.get(id)!, open.get(id)!, today, followed.has(id)) };
  });
  const raising = plans.filter((p) => p.plan.raise.length > 0).map((p) => p.student);
  const peopleOf = raising.length > 0 ? await peopleForMany(tx, raising) : undefined;
  const everyone = raising.flatMap((s) =>
    Object.values(peopleOf!(s))
      .flat()
      .map((p) => p.id),
  );
  const batch = await directBatch(tx, deps.clock.now(), everyone);
  return carryOut(
    deps,
    tx,
    plans.map((p) => ({ ...p, ...(peopleOf && p.plan.raise.length > 0 ? { people: peopleOf(p.student) } : {}) })),
    actorName,
    batch,
  );
}

interface Planned {
  student: StudentFull;
  history: AttendanceHistory;
  plan: LadderPlan;
  /** Loaded only for students with steps to raise. */
  people?: People;
}

/** Closes what the plans close (student by student), then raises every new step, each student in turn. */
async function carryOut(deps: Deps, tx: Tx, list: readonly Planned[], actorName: string, batch: DirectBatch): Promise<Map<number, LadderOutcome>> {
  const now = deps.clock.now();
  const out = new Map<number, LadderOutcome>(list.map((p) => [p.student.id, { raised: [], closed: [] }]));
  for (const { student, history, plan } of list) {
    for (const { alert: a, how } of plan.close) {
      const text =
        how === 'withdrawn'
          ? `✅ 预警 #${a.id} 已撤销：${student.name}（${student.class.name}）的缺勤已由${actorName}更正，不再是无故缺勤，无需为此家访。`
          : `✅ 预警 #${a.id} 已解除：${student.name}（${student.class.name}）${backText(history.get(plan.asOf), plan.asOf)}。`;
      await closeAlertAndTell(deps, tx, a.id, how, text);
      if (how === 'withdrawn' && a.step === 'suspected_dropout') {
        await applyToOpenCase(deps, tx, student.id, { type: 'withdraw', at: plan.today, by: 'system', reason: 'absence_corrected' }, 0);
      }
      out.get(student.id)!.closed.push({ alertId: a.id, step: a.step as LadderStep, how });
    }
  }
  const wanted = list.flatMap((p) =>
    p.plan.streak.since && p.people ? p.plan.raise.map((step) => ({ p, step, since: p.plan.streak.since!, people: p.people! })) : [],
  );
  if (wanted.length === 0) return out;
  const created = await alerts.createAlerts(
    tx,
    wanted.map(({ p, step, since }) => ({
      studentId: p.student.id,
      step,
      streakSince: since,
      streakDays: p.plan.streak.days,
      raisedOn: p.plan.asOf,
      at: now,
      // the policy in force now stays with the alert
      remindAfterMin: Math.round(deps.config.ALERT_REMIND_AFTER_HOURS * 60),
      visitWithinMin: Math.round(deps.config.HOME_VISIT_WITHIN_HOURS * 60),
    })),
  );
  // Every new alert's messages are written together once all are known (one multi-row insert per chunk).
  const told: { alertId: number; personId: number; place: number }[] = [];
  await openSuspectedCases(
    deps,
    tx,
    wanted.filter((w) => w.step === 'suspected_dropout').map(({ p, people }) => ({ student: p.student, on: p.plan.asOf, people })),
  );
  for (const { p, step, since, people } of wanted) {
    const alert = created.get(`${p.student.id}:${step}`)!;
    const recipients = recipientsFor(deps.config, step, people, p.student);
    const text = alertText(step, alert.id, p.student, p.plan.streak.days, since);
    for (const r of recipients)
      told.push({ alertId: alert.id, personId: r.id, place: batch.add(r.id, text, { buttons: [ackButton(alert.id)], kind: 'alert', urgent: true }) });
    out.get(p.student.id)!.raised.push({ alertId: alert.id, step, recipients: recipients.length });
  }
  const ids = await batch.flush();
  await alerts.addRecipients(
    tx,
    told.map((t) => ({ alertId: t.alertId, personId: t.personId, outboxId: ids[t.place]! })),
    now,
  );
  return out;
}

export function ackButton(alertId: number) {
  return { action: `ack:${alertId}`, label: '已收到', textEquivalent: `收到 ${alertId}` };
}

function backText(mark: AttendanceStatus | undefined, day: DateStr): string {
  if (mark === 'sick' || mark === 'personal') return `${dayLabel(day)}已请${ATTENDANCE_LABELS[mark]}，缺勤原因已查明`;
  return `已于${dayLabel(day)}到校`;
}

/**
 * Closes an alert: messages about it not yet sent are cancelled, and everyone it already reached is told why it
 * is over. Used for corrections, returns and register changes alike.
 */
export async function closeAlertAndTell(deps: Deps, tx: Tx, alertId: number, how: 'withdrawn' | 'resolved', text: string): Promise<void> {
  const now = deps.clock.now();
  await alerts.closeAlert(tx, alertId, how, now);
  const recipients = await alerts.recipientsOf(tx, alertId);
  const outboxIds = recipients.map((r) => r.outboxId).filter((x): x is number => x != null);
  await cancelPending(tx, outboxIds);
  const sent = new Set((await statusOf(tx, outboxIds)).filter((m) => m.status === 'sent').map((m) => m.id));
  for (const r of recipients) {
    if (r.outboxId != null && sent.has(r.outboxId)) await sendToPerson(tx, now, r.personId, text, { kind: 'alert_closed' });
  }
}
