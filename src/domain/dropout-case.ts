/**
 * The dropout case (辍学学生) as an explicit state machine over the ledgers the reporting rules name:
 * 疑似辍学学生台账 (suspected) and 辍学学生台账 / 花名册 (confirmed, notice issued, referred).
 * Pure and immutable: an event either yields a new case or a refusal with a zh-CN reason.
 */
import type { DateStr } from './types.js';

export const CASE_STATES = ['suspected', 'confirmed', 'notice_issued', 'returned', 'referred', 'withdrawn'] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CASE_STATE_LABELS: Record<CaseState, string> = {
  suspected: '疑似辍学',
  confirmed: '确认辍学',
  notice_issued: '已发返校通知书',
  returned: '已复学（销号）',
  referred: '逾期未返校，已报镇政府依法处理',
  withdrawn: '已撤销',
};

export const HOME_VISIT_REASONS = ['poverty', 'weariness', 'learning_difficulty', 'migrant_work', 'family', 'behaviour', 'school', 'illness', 'other'] as const;
export type HomeVisitReason = (typeof HOME_VISIT_REASONS)[number];
export const HOME_VISIT_OUTCOMES = ['will_return', 'refused', 'not_found', 'other'] as const;
export type HomeVisitOutcome = (typeof HOME_VISIT_OUTCOMES)[number];
export const WITHDRAW_REASONS = ['absence_corrected', 'transferred', 'suspended', 'borrowing', 'other'] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

interface Base {
  at: DateStr;
  by: string;
}
export type CaseEvent =
  | (Base & { type: 'assign'; schoolLineId: string; townLineId: string })
  | (Base & { type: 'home_visit'; visitorIds: string[]; reason: HomeVisitReason; outcome: HomeVisitOutcome; note?: string })
  | (Base & { type: 'confirm' })
  | (Base & { type: 'issue_notice'; deadline: DateStr })
  | (Base & { type: 'return'; returnedOn: DateStr; placement?: string })
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
  withdrawReason?: WithdrawReason;
  history: { event: CaseEvent; from: CaseState; to: CaseState }[];
}

export type Transition =
  | { ok: true; case: DropoutCase }
  | { ok: false; code: 'illegal_transition' | 'precondition' | 'bad_argument'; reason: string };

export const CASE_EVENT_LABELS: Record<CaseEventType, string> = {
  assign: '落实包保责任人',
  home_visit: '记录家访',
  confirm: '确认辍学',
  issue_notice: '发返校通知书',
  return: '复学销号',
  deadline_passed: '报逾期未返校',
  withdraw: '撤销',
};
const ALLOWED: Record<CaseState, CaseEventType[]> = {
  suspected: ['assign', 'home_visit', 'confirm', 'return', 'withdraw'],
  confirmed: ['assign', 'home_visit', 'issue_notice', 'return'],
  notice_issued: ['assign', 'home_visit', 'return', 'deadline_passed'],
  referred: ['return'],
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

const refuse = (code: 'illegal_transition' | 'precondition' | 'bad_argument', reason: string): Transition => ({ ok: false, code, reason });
const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));

function illegal(c: DropoutCase, e: CaseEvent): Transition {
  const label = CASE_STATE_LABELS[c.state];
  if (c.state === 'returned' || c.state === 'withdrawn') {
    return refuse('illegal_transition', `个案已${label}，已经结案，不能再操作。如学生再次缺勤，会开新的个案。`);
  }
  if (e.type === 'withdraw') {
    return refuse('illegal_transition', `个案已${label}，不能撤销：已确认的辍学只能通过复学销号或逾期报镇政府处理，隐瞒辍学人数是规定要追责的行为。`);
  }
  const possible = ALLOWED[c.state].map((t) => CASE_EVENT_LABELS[t]).join('、');
  return refuse('illegal_transition', `个案当前状态是“${label}”，不能${CASE_EVENT_LABELS[e.type]}。现在可以做的是：${possible}。`);
}

function next(c: DropoutCase, e: CaseEvent, to: CaseState, patch: Partial<DropoutCase>): Transition {
  return { ok: true, case: { ...c, ...patch, state: to, history: [...c.history, { event: e, from: c.state, to }] } };
}

export function applyCaseEvent(c: DropoutCase, e: CaseEvent): Transition {
  if (!isDate(e.at)) return refuse('bad_argument', `日期“${e.at}”格式不对，应为 YYYY-MM-DD。`);
  if (!ALLOWED[c.state].includes(e.type)) return illegal(c, e);
  switch (e.type) {
    case 'assign':
      if (!e.schoolLineId || !e.townLineId) return refuse('bad_argument', '包保责任人须学校一方（班主任或任课教师）和村里一方（村干部）各一人。');
      return next(c, e, c.state, { schoolLineId: e.schoolLineId, townLineId: e.townLineId });
    case 'home_visit':
      if (e.visitorIds.length === 0) return refuse('bad_argument', '家访须写明家访人。');
      return next(c, e, c.state, { visits: [...c.visits, { at: e.at, visitorIds: e.visitorIds, reason: e.reason, outcome: e.outcome, ...(e.note ? { note: e.note } : {}) }] });
    case 'confirm':
      if (!c.schoolLineId || !c.townLineId) return refuse('precondition', '确认辍学前须落实双线包保责任人（班主任和村干部）。');
      if (c.visits.length === 0) return refuse('precondition', '确认辍学前须至少入户家访一次，查明原因。请先记录家访：家访 张三 厌学 拒绝返校');
      return next(c, e, 'confirmed', {});
    case 'issue_notice':
      if (!isDate(e.deadline) || e.deadline <= e.at) return refuse('bad_argument', `返校期限（${e.deadline}）须晚于发通知的日期（${e.at}）。`);
      if (!c.visits.some((v) => v.outcome !== 'will_return')) {
        return refuse('precondition', '发返校通知书是劝返无效后的措施：家访记录中还没有“拒绝返校”或“未见到人”的结果。');
      }
      return next(c, e, 'notice_issued', { noticeDeadline: e.deadline });
    case 'return':
      if (!isDate(e.returnedOn)) return refuse('bad_argument', `复学日期“${e.returnedOn}”格式不对。`);
      if (e.returnedOn < c.openedOn) return refuse('bad_argument', `复学日期（${e.returnedOn}）不能早于个案开始日期（${c.openedOn}）。`);
      return next(c, e, 'returned', { closedOn: e.returnedOn, ...(e.placement ? { placement: e.placement } : {}) });
    case 'deadline_passed':
      if (!c.noticeDeadline || e.at <= c.noticeDeadline) return refuse('precondition', `返校期限 ${c.noticeDeadline ?? ''} 还没有过，不能报逾期。`);
      return next(c, e, 'referred', {});
    case 'withdraw':
      return next(c, e, 'withdrawn', { closedOn: e.at, withdrawReason: e.reason });
  }
}

export function replayCase(openedOn: DateStr, by: string, events: readonly CaseEvent[]): Transition {
  let c = openCase(openedOn, by);
  for (const e of events) {
    const r = applyCaseEvent(c, e);
    if (!r.ok) return r;
    c = r.case;
  }
  return { ok: true, case: c };
}

