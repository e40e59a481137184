/**
 * The dropout case (辍学学生) as an explicit state machine over the ledgers the reporting rules name:
 * 疑似辍学学生台账 (suspected) and 辍学学生台账 / 花名册 (confirmed, notice issued, referred).
 * Pure and immutable: an event either yields a new case or a refusal with a zh-CN reason.
 *
 * 留得住: 复学 does not close a case at once. It opens a follow-up period (`following`, 跟踪中(复学后)) that ends on
 * `followUntil` (the last of FOLLOW_UP_SCHOOL_DAYS school days after the return); while it lasts one unexcused day
 * means a joint home visit (domain/absence.ts followUpPolicy). At its end the daily duty closes the case
 * (`follow_up_end` → returned, 动态销号). Should the pupil reach the suspected-dropout step again meanwhile, the case
 * goes back on the ledger (`relapse` → suspected). A `return` without `followUntil` (events stored before follow-up
 * existed) still closes the case at once.
 */
import type { DateStr } from './types.js';

export const CASE_STATES = ['suspected', 'confirmed', 'notice_issued', 'following', 'returned', 'referred', 'withdrawn'] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CASE_STATE_LABELS: Record<CaseState, string> = {
  suspected: '疑似辍学',
  confirmed: '确认辍学',
  notice_issued: '已发返校通知书',
  following: '跟踪中(复学后)',
  returned: '已复学（动态销号）',
  referred: '逾期未返校，已报镇政府依法处理',
  withdrawn: '已撤销',
};

export const HOME_VISIT_REASONS = ['poverty', 'weariness', 'learning_difficulty', 'migrant_work', 'family', 'behaviour', 'school', 'illness', 'other'] as const;
export type HomeVisitReason = (typeof HOME_VISIT_REASONS)[number];
export const HOME_VISIT_OUTCOMES = ['will_return', 'refused', 'not_found', 'other'] as const;
export type HomeVisitOutcome = (typeof HOME_VISIT_OUTCOMES)[number];
export const WITHDRAW_REASONS = ['absence_corrected', 'transferred', 'suspended', 'borrowing', 'other'] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

export const HOME_VISIT_REASON_LABELS: Record<HomeVisitReason, string> = {
  poverty: '贫困',
  weariness: '厌学',
  learning_difficulty: '学困',
  migrant_work: '外出务工',
  family: '家庭原因',
  behaviour: '行为偏差',
  school: '学校原因',
  illness: '疾病',
  other: '其他',
};
export const HOME_VISIT_OUTCOME_LABELS: Record<HomeVisitOutcome, string> = {
  will_return: '同意返校',
  refused: '拒绝返校',
  not_found: '未见到学生或家长',
  other: '其他',
};
/**
 * What people type for each reason and outcome of a home visit (the label always counts too). The labels above are
 * the one source for replies, digests and forms; the 家访 command reads these.
 */
export const HOME_VISIT_REASON_SYNONYMS: Record<HomeVisitReason, string[]> = {
  poverty: ['贫困', '经济困难', '家庭困难', '困难', 'poverty'],
  weariness: ['厌学', '不想上学', '不愿上学', 'weariness'],
  learning_difficulty: ['学困', '学习困难', '跟不上', 'learning_difficulty'],
  migrant_work: ['外出务工', '打工', '务工', '童工', '外出打工', 'migrant_work'],
  family: ['家庭', '家庭原因', '留守', '单亲', 'family'],
  behaviour: ['行为偏差', '行为问题', 'behaviour', 'behavior'],
  school: ['学校', '学校原因', 'school'],
  illness: ['生病', '疾病', '患病', 'illness'],
  other: ['其他', '其它', '其他原因', 'other'],
};
export const HOME_VISIT_OUTCOME_SYNONYMS: Record<HomeVisitOutcome, string[]> = {
  will_return: ['愿意返校', '答应返校', '同意返校', '已返校', '愿意', '同意', 'will_return'],
  refused: ['拒绝', '拒绝返校', '不愿返校', '不愿意', 'refused'],
  not_found: ['未见到', '未见到人', '不在家', '联系不上', '找不到', 'not_found'],
  other: ['其他', '其它', '其他结果', 'other'],
};
/** A reason and an outcome as the example in help and alerts shows them. */
export const HOME_VISIT_EXAMPLE_WORDS = `${HOME_VISIT_REASON_LABELS.weariness} ${HOME_VISIT_OUTCOME_LABELS.will_return}`;

/** One typed word: `厌学`, or `其他:外出打工跟随父母` (a word with its own explanation after a colon). */
function readVisitWord<K extends string>(labels: Record<K, string>, synonyms: Record<K, string[]>, token: string): { value: K; detail?: string } | undefined {
  const m = /^([^:：]+)[:：](.*)$/s.exec(token.trim());
  const word = (m ? m[1]! : token).trim().toLowerCase();
  const detail = m ? m[2]!.trim() : '';
  const value = (Object.keys(labels) as K[]).find((k) => labels[k] === word || synonyms[k].some((w) => w.toLowerCase() === word));
  return value === undefined ? undefined : { value, ...(detail ? { detail } : {}) };
}
export function readHomeVisitReason(token: string): { value: HomeVisitReason; detail?: string } | undefined {
  return readVisitWord(HOME_VISIT_REASON_LABELS, HOME_VISIT_REASON_SYNONYMS, token);
}
export function readHomeVisitOutcome(token: string): { value: HomeVisitOutcome; detail?: string } | undefined {
  return readVisitWord(HOME_VISIT_OUTCOME_LABELS, HOME_VISIT_OUTCOME_SYNONYMS, token);
}

/** Why a suspicion is withdrawn: a status change (转学/休学/借读) is not a dropout. */
export const WITHDRAW_REASON_LABELS: Record<WithdrawReason, string> = {
  absence_corrected: '缺勤记录已更正',
  transferred: '已转学',
  suspended: '已休学',
  borrowing: '借读',
  other: '其他',
};

interface Base {
  at: DateStr;
  by: string;
}
export type CaseEvent =
  | (Base & { type: 'assign'; schoolLineId: string; townLineId: string })
  | (Base & { type: 'home_visit'; visitorIds: string[]; reason: HomeVisitReason; outcome: HomeVisitOutcome; note?: string })
  | (Base & { type: 'confirm' })
  | (Base & { type: 'issue_notice'; deadline: DateStr })
  | (Base & { type: 'return'; returnedOn: DateStr; placement?: string; followUntil?: DateStr })
  | (Base & { type: 'follow_up_end' })
  | (Base & { type: 'relapse' })
  | (Base & { type: 'deadline_passed' })
  | (Base & { type: 'withdraw'; reason: WithdrawReason });
export type CaseEventType = CaseEvent['type'];

export interface HomeVisit {
  at: DateStr;
  visitorIds: string[];
  reason: HomeVisitReason;
  outcome: HomeVisitOutcome;
  note?: string;
}

export interface DropoutCase {
  state: CaseState;
  openedOn: DateStr;
  openedBy: string;
  schoolLineId?: string;
  townLineId?: string;
  visits: HomeVisit[];
  noticeDeadline?: DateStr;
  closedOn?: DateStr;
  placement?: string;
  /** Last day of the follow-up after 复学. */
  followUntil?: DateStr;
  withdrawReason?: WithdrawReason;
  history: { event: CaseEvent; from: CaseState; to: CaseState }[];
}

export type RefusalCode = 'illegal_transition' | 'precondition' | 'bad_argument';
/** A refusal's `reason` is zh-CN and says why and what to do instead. */
export type Transition = { ok: true; case: DropoutCase } | { ok: false; code: RefusalCode; reason: string };

export const CASE_EVENT_LABELS: Record<CaseEventType, string> = {
  assign: '落实包保责任人',
  home_visit: '记录家访',
  confirm: '确认辍学',
  issue_notice: '发返校通知书',
  return: '复学',
  follow_up_end: '跟踪期满销号',
  relapse: '复学后再次缺勤，重新列入疑似辍学',
  deadline_passed: '报逾期未返校',
  withdraw: '撤销',
};
/** `referred` is still open (the student may yet return); `returned` and `withdrawn` are final: a new absence opens a new case. */
const ALLOWED: Record<CaseState, CaseEventType[]> = {
  suspected: ['assign', 'home_visit', 'confirm', 'return', 'withdraw'],
  confirmed: ['assign', 'home_visit', 'issue_notice', 'return'],
  notice_issued: ['assign', 'home_visit', 'return', 'deadline_passed'],
  referred: ['return'],
  following: ['home_visit', 'follow_up_end', 'relapse'],
  returned: [],
  withdrawn: [],
};

export function allowedEvents(state: CaseState): CaseEventType[] {
  return [...ALLOWED[state]];
}

export function isOpen(c: DropoutCase): boolean {
  return c.state !== 'returned' && c.state !== 'withdrawn';
}

/** On the 辍学学生花名册 until closed. */
export function onDropoutRoster(c: DropoutCase): boolean {
  return c.state === 'confirmed' || c.state === 'notice_issued' || c.state === 'referred';
}

export function openCase(openedOn: DateStr, by: string): DropoutCase {
  return { state: 'suspected', openedOn, openedBy: by, visits: [], history: [] };
}

const refuse = (code: RefusalCode, reason: string): Transition => ({ ok: false, code, reason });

/** A real calendar date as `YYYY-MM-DD` (2026-02-30 is refused). */
function isDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

function illegal(c: DropoutCase, e: CaseEvent): Transition {
  const label = CASE_STATE_LABELS[c.state];
  if (!isOpen(c)) {
    return refuse('illegal_transition', `个案已${label}，已经结案，不能再${CASE_EVENT_LABELS[e.type]}。如学生再次缺勤，将另开新的个案。`);
  }
  if (e.type === 'withdraw') {
    return refuse(
      'illegal_transition',
      `个案已${label}，不能撤销：只有疑似辍学可以撤销。已确认的辍学只能复学销号，或逾期未返校报镇政府依法处理；把辍学学生从台账上悄悄拿掉就是隐瞒辍学，是规定要追责的行为。`,
    );
  }
  const possible = ALLOWED[c.state].map((t) => CASE_EVENT_LABELS[t]).join('、');
  return refuse('illegal_transition', `个案当前状态是“${label}”，不能${CASE_EVENT_LABELS[e.type]}。现在可以做的是：${possible}。`);
}

function next(c: DropoutCase, e: CaseEvent, to: CaseState, patch: Partial<DropoutCase>): Transition {
  return { ok: true, case: { ...c, ...patch, state: to, history: [...c.history, { event: e, from: c.state, to }] } };
}

/** Applies one event; never mutates `c`. Refusals say why and what to do instead. */
export function applyCaseEvent(c: DropoutCase, e: CaseEvent): Transition {
  if (!isDate(e.at)) return refuse('bad_argument', `日期“${e.at}”不是有效日期，应为 YYYY-MM-DD。`);
  if (e.at < c.openedOn) return refuse('bad_argument', `日期（${e.at}）不能早于个案开始日期（${c.openedOn}）。`);
  if (!ALLOWED[c.state].includes(e.type)) return illegal(c, e);
  switch (e.type) {
    case 'assign':
      if (!e.schoolLineId || !e.townLineId) {
        return refuse('bad_argument', '包保责任人须双线落实：学校一方（班主任或任课教师）和镇村一方（村干部）各一人。');
      }
      return next(c, e, c.state, { schoolLineId: e.schoolLineId, townLineId: e.townLineId });
    case 'home_visit': {
      if (e.visitorIds.length === 0) return refuse('bad_argument', '家访须写明家访人。');
      const visit: HomeVisit = { at: e.at, visitorIds: [...e.visitorIds], reason: e.reason, outcome: e.outcome, ...(e.note ? { note: e.note } : {}) };
      return next(c, e, c.state, { visits: [...c.visits, visit] });
    }
    case 'confirm':
      if (!c.schoolLineId || !c.townLineId) {
        return refuse('precondition', '确认辍学前须先落实双线包保责任人（学校一方班主任、镇村一方村干部）。');
      }
      if (c.visits.length === 0) return refuse('precondition', '确认辍学前须至少入户家访一次，查明辍学原因。请先记录家访。');
      return next(c, e, 'confirmed', {});
    case 'issue_notice':
      if (!isDate(e.deadline) || e.deadline <= e.at) {
        return refuse('bad_argument', `返校期限（${e.deadline}）须是有效日期，且晚于发通知书的日期（${e.at}）。`);
      }
      if (!c.visits.some((v) => v.outcome !== 'will_return')) {
        return refuse(
          'precondition',
          '返校通知书是劝返无效后才发的：家访记录里还没有“拒绝返校”“未见到人”等劝返未成的结果。家长已答应返校的，请等学生返校后复学销号；否则请先记录劝返未成的家访。',
        );
      }
      return next(c, e, 'notice_issued', { noticeDeadline: e.deadline });
    case 'return':
      if (!isDate(e.returnedOn)) return refuse('bad_argument', `复学日期“${e.returnedOn}”不是有效日期，应为 YYYY-MM-DD。`);
      if (e.returnedOn < c.openedOn) return refuse('bad_argument', `复学日期（${e.returnedOn}）不能早于个案开始日期（${c.openedOn}）。`);
      if (e.returnedOn > e.at) return refuse('bad_argument', `复学日期（${e.returnedOn}）还没到：学生实际返校后再登记复学。`);
      if (e.followUntil !== undefined && (!isDate(e.followUntil) || e.followUntil < e.returnedOn)) {
        return refuse('bad_argument', `跟踪截止日期（${e.followUntil}）须是有效日期，且不早于复学日期（${e.returnedOn}）。`);
      }
      if (e.followUntil !== undefined) return next(c, e, 'following', { followUntil: e.followUntil, ...(e.placement ? { placement: e.placement } : {}) });
      return next(c, e, 'returned', { closedOn: e.returnedOn, ...(e.placement ? { placement: e.placement } : {}) });
    case 'follow_up_end':
      if (!c.followUntil || e.at < c.followUntil) return refuse('precondition', `复学后的跟踪期到 ${c.followUntil ?? '未定'} 才结束，期满后再销号。`);
      return next(c, e, 'returned', { closedOn: e.at });
    case 'relapse': {
      const { followUntil: _ended, ...rest } = c;
      return next({ ...rest }, e, 'suspected', {});
    }
    case 'deadline_passed':
      if (!c.noticeDeadline || e.at <= c.noticeDeadline) {
        return refuse('precondition', `返校期限（${c.noticeDeadline ?? '未定'}）还没有过，不能报逾期未返校；期限过后仍未返校再报镇政府。`);
      }
      return next(c, e, 'referred', {});
    case 'withdraw':
      return next(c, e, 'withdrawn', { closedOn: e.at, withdrawReason: e.reason });
  }
}

/** Opens a case and folds `events` over it; stops at the first refusal. */
export function replayCase(openedOn: DateStr, by: string, events: readonly CaseEvent[]): Transition {
  let c = openCase(openedOn, by);
  for (const e of events) {
    const r = applyCaseEvent(c, e);
    if (!r.ok) return r;
    c = r.case;
  }
  return { ok: true, case: c };
}
