/**
 * Transfers (转学) as a register change the county can trust: the receiving school is named; junior-high and
 * cross-town transfers wait for the county bureau's approval; the transfer is complete only when the receiving school
 * confirms it (接收) or, outside the county, an official records the receipt (回执). A pupil with an open absence
 * alert or suspected-dropout case is not taken off anything before that: the case and alerts stay open (the ledger
 * shows 转学待核实) and close, with the reason "transferred", on confirmation. The towns concerned are told by DM.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import type { CaseEvent } from '../domain/dropout-case.js';
import { TRANSFER_STATE_LABELS, type Destination, type TransferState } from '../domain/transfer.js';
import { applyToOpenCase, rebuild } from './cases.js';
import { openCaseOf } from '../store/case.repository.js';
import { openAlertsOf } from '../store/alert.repository.js';
import { closeAlertAndTell } from './absence-alerts.js';
import { peopleWithRole, studentById, type PersonRow, type StudentFull } from '../store/org.repository.js';
import { addStep, createTransfer, type TransferRow } from '../store/transfer.repository.js';
import { directSender } from './direct-sender.js';
import { dayLabel, studentLine } from './format.js';
import { findSchoolById } from '../store/place.repository.js';
import { transferCompleted, transferTookEffect } from './student-status.js';

export interface Effect {
  /** The pupil has an open alert or case: nothing is withdrawn until the receiving school confirms. */
  held: boolean;
}

async function hasOpenAlertOrCase(tx: Tx, studentId: number): Promise<boolean> {
  return (await openCaseOf(tx, studentId)) !== null || (await openAlertsOf(tx, studentId)).length > 0;
}

async function schoolName(tx: Tx, id: number | null): Promise<string> {
  return id ? ((await findSchoolById(tx, id))?.name ?? '') : '';
}

export async function destinationName(tx: Tx, row: Pick<TransferRow, 'toSchoolId' | 'toText' | 'kind'>): Promise<string> {
  if (row.toSchoolId) return schoolName(tx, row.toSchoolId);
  return row.toText ?? (row.kind === 'leaver' ? '初中学校（待确认）' : '');
}

/** The town officials concerned: the town of the school left, of the pupil's village, and of the receiving school. */
async function townOfficials(tx: Tx, s: StudentFull, row: Pick<TransferRow, 'fromSchoolId' | 'toSchoolId'>): Promise<PersonRow[]> {
  const towns = new Set<number>([s.village.townId]);
  for (const id of [row.fromSchoolId, row.toSchoolId]) {
    const sc = id ? await findSchoolById(tx, id) : null;
    if (sc) towns.add(sc.townId);
  }
  const out: PersonRow[] = [];
  for (const townId of [...towns].sort((a, b) => a - b)) out.push(...(await peopleWithRole(tx, 'town', { townId })));
  return out;
}

/** One direct message to each person (never a group), deduplicated; returns how many. */
async function tell(deps: Deps, tx: Tx, people: readonly PersonRow[], text: string, kind: string): Promise<number> {
  const ids = [...new Set(people.map((p) => p.id))];
  const send = await directSender(tx, deps.clock.now(), ids);
  for (const id of ids) await send(id, text, { kind });
  return ids.length;
}

async function describe(tx: Tx, row: TransferRow, s: StudentFull, state: TransferState, more = ''): Promise<string> {
  const from = await schoolName(tx, row.fromSchoolId);
  const to = await destinationName(tx, row);
  return `🔁 转学 #${row.id}（${TRANSFER_STATE_LABELS[state]}）\n学生：${studentLine(s)}\n从：${from}\n到：${to}\n转学日期：${dayLabel(row.on)}${more ? `\n${more}` : ''}`;
}

const HELD = '该生有未结的缺勤预警或疑似辍学个案：在接收学校确认接收前，个案和预警不撤销，仍在疑似辍学台账上（转学待核实）。';

/**
 * Records a transfer. Within the town for a primary pupil it takes effect at once; otherwise it waits for the county
 * bureau, whose officials are told by DM. The towns concerned are told either way.
 */
export async function requestTransfer(
  deps: Deps,
  tx: Tx,
  s: StudentFull,
  to: Destination,
  on: DateStr,
  needsCounty: boolean,
  by: PersonRow,
  today: DateStr,
): Promise<{ row: TransferRow; effect?: Effect }> {
  const at = deps.clock.now();
  const row = await createTransfer(
    tx,
    {
      studentId: s.id,
      kind: 'transfer',
      fromSchoolId: s.class.schoolId,
      fromClassId: s.classId,
      toSchoolId: to.kind === 'school' ? to.schoolId : null,
      toText: to.kind === 'outside' ? to.text : null,
      needsCounty,
      on,
      requestedById: by.id,
    },
    needsCounty ? 'awaiting_approval' : 'pending_receipt',
    today,
    at,
  );
  if (needsCounty) {
    const county = await peopleWithRole(tx, 'county');
    const ask = `请县教育局审批。同意请回复：批准转学 ${row.id}\n不同意请回复：不批准转学 ${row.id} <原因>`;
    await tell(
      deps,
      tx,
      county,
      await describe(
        tx,
        row,
        s,
        'awaiting_approval',
        `申请人：${by.name}（校长）\n${s.class.stage === 'junior' ? '初中学生' : '跨乡镇'}转学须县教育局审批。\n${ask}`,
      ),
      'transfer',
    );
    await tell(deps, tx, await townOfficials(tx, s, row), await describe(tx, row, s, 'awaiting_approval', '等待县教育局审批。'), 'transfer');
    return { row };
  }
  const effect = await takeEffect(deps, tx, row, s, by.id, today);
  return { row: { ...row, state: 'pending_receipt' }, effect };
}

/**
 * The transfer takes effect (approved, or within the school's own power): a pupil with no open alert or case leaves
 * the roll on the transfer's date; one with an open alert or case stays until the receiving school confirms.
 */
async function takeEffect(deps: Deps, tx: Tx, row: TransferRow, s: StudentFull, byId: number, today: DateStr): Promise<Effect> {
  const at = deps.clock.now();
  const held = await hasOpenAlertOrCase(tx, s.id);
  if (!held) {
    await transferTookEffect(tx, { studentId: s.id, classId: s.classId, on: row.on, byId, at });
  }
  await addStep(
    tx,
    row.id,
    { state: 'pending_receipt', action: 'effective', note: held ? '有未结的预警或个案，待接收确认后撤销' : '已转出', on: today, byId },
    at,
  );
  const confirm =
    row.toSchoolId !== null
      ? `接收学校确认后转学才算完成：请接收学校校长私信回复：接收 ${s.studentNo} <班级>`
      : `县外学校的接收回执到后，请镇或县教育局回复：回执 ${s.studentNo} <回执说明>`;
  const text = await describe(tx, row, s, 'pending_receipt', `${held ? HELD : '该生已转出，不计入本校在籍人数。'}\n${confirm}`);
  await tell(deps, tx, await townOfficials(tx, s, row), text, 'transfer');
  if (row.toSchoolId !== null) await tell(deps, tx, await peopleWithRole(tx, 'principal', { schoolId: row.toSchoolId }), text, 'transfer');
  return { held };
}

export async function approveTransfer(deps: Deps, tx: Tx, row: TransferRow, by: PersonRow, today: DateStr): Promise<{ s: StudentFull; effect: Effect }> {
  const s = (await studentById(tx, row.studentId))!;
  await addStep(tx, row.id, { state: 'pending_receipt', action: 'approved', on: today, byId: by.id }, deps.clock.now());
  const effect = await takeEffect(deps, tx, row, s, by.id, today);
  const principals = await peopleWithRole(tx, 'principal', { schoolId: row.fromSchoolId });
  await tell(deps, tx, principals, await describe(tx, row, s, 'pending_receipt', `县教育局（${by.name}）已批准。${effect.held ? HELD : ''}`), 'transfer');
  return { s, effect };
}

export async function refuseTransfer(deps: Deps, tx: Tx, row: TransferRow, by: PersonRow, reason: string, today: DateStr): Promise<StudentFull> {
  const s = (await studentById(tx, row.studentId))!;
  await addStep(tx, row.id, { state: 'refused', action: 'refused', note: reason, on: today, byId: by.id }, deps.clock.now());
  const text = await describe(tx, row, s, 'refused', `县教育局（${by.name}）不批准：${reason}\n该生学籍不变，仍在原校。`);
  await tell(deps, tx, [...(await peopleWithRole(tx, 'principal', { schoolId: row.fromSchoolId })), ...(await townOfficials(tx, s, row))], text, 'transfer');
  return s;
}

export type Completion = { how: 'received'; classId: number; className: string; schoolName: string } | { how: 'receipt'; note: string };

/**
 * The receiving school confirmed (or the receipt came): the case closes (a suspected one is withdrawn as transferred;
 * a confirmed dropout now at school elsewhere returns, placed there), open alerts are closed and those alerted told,
 * the register changes, and the towns concerned are told.
 */
export async function completeTransfer(
  deps: Deps,
  tx: Tx,
  row: TransferRow,
  s: StudentFull,
  done: Completion,
  by: PersonRow,
  today: DateStr,
): Promise<{ caseNote?: string; alertsClosed: number }> {
  const at = deps.clock.now();
  const where = done.how === 'received' ? `${done.schoolName} ${done.className}` : (row.toText ?? done.note);
  let caseNote: string | undefined;
  const open = await openCaseOf(tx, s.id);
  if (open) {
    const c = rebuild(open);
    const event: CaseEvent =
      c.state === 'suspected'
        ? { type: 'withdraw', at: today, by: String(by.id), reason: 'transferred' }
        : { type: 'return', at: today, by: String(by.id), returnedOn: today, placement: `转入${where}` };
    const step = await applyToOpenCase(deps, tx, s.id, event, by.id);
    caseNote = step?.ok
      ? `个案 #${step.caseId} 已${event.type === 'withdraw' ? '撤销（已转学）' : `复学销号（转入${where}）`}`
      : `个案未能关闭：${step?.reason ?? ''}`;
  }
  const alerts = await openAlertsOf(tx, s.id);
  for (const a of alerts) {
    await closeAlertAndTell(deps, tx, a.id, 'withdrawn', `✅ 预警 #${a.id} 已撤销：${s.name}（${s.class.name}）已转学到${where}，接收已确认，不属于辍学。`);
  }
  await transferCompleted(tx, s, row.kind, done.how === 'received' ? { classId: done.classId } : null, today, by.id, at);
  await addStep(
    tx,
    row.id,
    { state: 'received', action: done.how, note: done.how === 'received' ? `${done.schoolName} ${done.className}` : done.note, on: today, byId: by.id },
    at,
  );
  const text = await describe(
    tx,
    row,
    s,
    'received',
    `${done.how === 'received' ? `${done.schoolName}（${by.name}）已确认接收，编入${done.className}。` : `${by.name} 已登记回执：${done.note}`}${caseNote ? `\n${caseNote}。` : ''}`,
  );
  const principals = await peopleWithRole(tx, 'principal', { schoolId: row.fromSchoolId });
  await tell(
    deps,
    tx,
    [...principals, ...(await townOfficials(tx, s, row))].filter((p) => p.id !== by.id),
    text,
    'transfer',
  );
  return { ...(caseNote ? { caseNote } : {}), alertsClosed: alerts.length };
}
