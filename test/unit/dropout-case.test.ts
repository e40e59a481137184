import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  applyCaseEvent,
  CASE_STATE_LABELS,
  CASE_STATES,
  HOME_VISIT_OUTCOME_LABELS,
  HOME_VISIT_OUTCOMES,
  HOME_VISIT_REASON_LABELS,
  HOME_VISIT_REASONS,
  isOpen,
  onDropoutRoster,
  openCase,
  replayCase,
  WITHDRAW_REASON_LABELS,
  WITHDRAW_REASONS,
  type CaseEvent,
  type CaseState,
  type DropoutCase,
} from '../../src/domain/dropout-case.js';

const by = 'u1';
const assign: CaseEvent = { type: 'assign', at: '2026-11-25', by, schoolLineId: 't1', townLineId: 'v1' };
const refusedVisit: CaseEvent = { type: 'home_visit', at: '2026-11-25', by, visitorIds: ['t1', 'v1'], reason: 'weariness', outcome: 'refused' };
const willReturnVisit: CaseEvent = { type: 'home_visit', at: '2026-11-25', by, visitorIds: ['t1'], reason: 'family', outcome: 'will_return' };
const confirm: CaseEvent = { type: 'confirm', at: '2026-11-26', by };
const notice: CaseEvent = { type: 'issue_notice', at: '2026-11-27', by, deadline: '2026-12-10' };
const ret: CaseEvent = { type: 'return', at: '2026-12-01', by, returnedOn: '2026-12-01', placement: '二(1)班' };
const passed: CaseEvent = { type: 'deadline_passed', at: '2026-12-11', by };
const withdraw: CaseEvent = { type: 'withdraw', at: '2026-11-25', by, reason: 'transferred' };
const followRet: CaseEvent = { type: 'return', at: '2026-12-02', by, returnedOn: '2026-12-02', followUntil: '2027-01-13' };
const followEnd: CaseEvent = { type: 'follow_up_end', at: '2027-01-13', by };
const relapse: CaseEvent = { type: 'relapse', at: '2026-12-20', by };

/** A case in each state, reached through legal events. */
function caseIn(state: CaseState): DropoutCase {
  const paths: Record<CaseState, CaseEvent[]> = {
    suspected: [assign, refusedVisit],
    confirmed: [assign, refusedVisit, confirm],
    notice_issued: [assign, refusedVisit, confirm, notice],
    referred: [assign, refusedVisit, confirm, notice, passed],
    following: [assign, followRet],
    returned: [ret],
    withdrawn: [withdraw],
  };
  const r = replayCase('2026-11-24', by, paths[state]);
  if (!r.ok) throw new Error(r.reason);
  expect(r.case.state).toBe(state);
  return r.case;
}

const EVENTS: CaseEvent[] = [assign, refusedVisit, confirm, notice, ret, passed, withdraw, followEnd, relapse];
const EXPECTED: Record<CaseState, Partial<Record<CaseEvent['type'], CaseState>>> = {
  suspected: { assign: 'suspected', home_visit: 'suspected', confirm: 'confirmed', return: 'returned', withdraw: 'withdrawn' },
  confirmed: { assign: 'confirmed', home_visit: 'confirmed', issue_notice: 'notice_issued', return: 'returned' },
  notice_issued: { assign: 'notice_issued', home_visit: 'notice_issued', return: 'returned', deadline_passed: 'referred' },
  referred: { return: 'returned' },
  following: { home_visit: 'following', follow_up_end: 'returned', relapse: 'suspected' },
  returned: {},
  withdrawn: {},
};

describe('every state × every event', () => {
  for (const state of CASE_STATES) {
    for (const e of EVENTS) {
      const to = EXPECTED[state][e.type];
      it(`${state} + ${e.type} → ${to ?? 'refused'}`, () => {
        const c = caseIn(state);
        const r = applyCaseEvent(c, e);
        if (to) {
          expect(r.ok, r.ok ? '' : r.reason).toBe(true);
          if (r.ok) expect(r.case.state).toBe(to);
        } else {
          expect(r.ok).toBe(false);
          if (!r.ok) {
            expect(r.code).toBe('illegal_transition');
            expect(r.reason).toMatch(/[\u4e00-\u9fa5]/);
          }
        }
        expect(allowedEvents(state).includes(e.type)).toBe(Boolean(to));
      });
    }
  }
});

describe('preconditions', () => {
  it('confirm needs both lines assigned', () => {
    const r = replayCase('2026-11-24', by, [refusedVisit, confirm]);
    expect(r).toMatchObject({ ok: false, code: 'precondition' });
    if (!r.ok) expect(r.reason).toContain('包保');
  });
  it('confirm needs a home visit', () => {
    const r = replayCase('2026-11-24', by, [assign, confirm]);
    expect(r).toMatchObject({ ok: false, code: 'precondition' });
    if (!r.ok) expect(r.reason).toContain('家访');
  });
  it('a notice needs failed persuasion and a deadline after the notice date', () => {
    expect(replayCase('2026-11-24', by, [assign, willReturnVisit, confirm, notice])).toMatchObject({ ok: false, code: 'precondition' });
    const early = { ...notice, deadline: '2026-11-27' } as CaseEvent;
    expect(replayCase('2026-11-24', by, [assign, refusedVisit, confirm, early])).toMatchObject({ ok: false, code: 'bad_argument' });
  });
  it('the deadline must have passed', () => {
    const early: CaseEvent = { type: 'deadline_passed', at: '2026-12-10', by };
    expect(replayCase('2026-11-24', by, [assign, refusedVisit, confirm, notice, early])).toMatchObject({ ok: false, code: 'precondition' });
  });
  it('a confirmed dropout cannot be quietly withdrawn', () => {
    const r = applyCaseEvent(caseIn('confirmed'), withdraw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('隐瞒');
  });
  it('withdrawing after the notice or the referral is refused too, and says why', () => {
    for (const state of ['notice_issued', 'referred'] as const) {
      const r = applyCaseEvent(caseIn(state), withdraw);
      expect(r).toMatchObject({ ok: false, code: 'illegal_transition' });
      if (!r.ok) expect(r.reason).toMatch(/隐瞒辍学.*追责/);
    }
  });
  it('closed cases are final and point to a new case', () => {
    for (const state of ['returned', 'withdrawn'] as const) {
      const r = applyCaseEvent(caseIn(state), willReturnVisit);
      expect(r).toMatchObject({ ok: false, code: 'illegal_transition' });
      if (!r.ok) expect(r.reason).toContain('新的个案');
    }
  });
  it('an illegal event names what can be done instead', () => {
    const r = applyCaseEvent(caseIn('suspected'), notice);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/疑似辍学.*确认辍学/);
  });
});

describe('bad arguments', () => {
  const fresh = () => openCase('2026-11-24', by);
  const bad = (c: DropoutCase, e: CaseEvent) => expect(applyCaseEvent(c, e)).toMatchObject({ ok: false, code: 'bad_argument' });
  it('dates must be real YYYY-MM-DD dates, not before the case opened', () => {
    bad(fresh(), { ...confirm, at: '11/26' });
    bad(fresh(), { ...willReturnVisit, at: '2026-02-30' });
    bad(fresh(), { ...willReturnVisit, at: '2026-11-23' });
  });
  it('a return must be dated between the opening and the day it is logged', () => {
    bad(fresh(), { ...ret, returnedOn: '2026-11-01' } as CaseEvent);
    bad(fresh(), { ...ret, returnedOn: '2026-12-02' } as CaseEvent);
    bad(fresh(), { ...ret, returnedOn: 'soon' } as CaseEvent);
  });
  it('both lines are needed and a visit needs a visitor', () => {
    bad(fresh(), { ...assign, townLineId: '' } as CaseEvent);
    bad(fresh(), { ...refusedVisit, visitorIds: [] } as CaseEvent);
  });
  it('a notice deadline must be a valid date', () => {
    bad(caseIn('confirmed'), { ...notice, deadline: '2026-12-32' } as CaseEvent);
  });
});

describe('paths and bookkeeping', () => {
  it('happy path: suspected → confirmed → notice → returned, closed with the date and placement', () => {
    const r = replayCase('2026-11-24', by, [assign, refusedVisit, confirm, notice, ret]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.case).toMatchObject({ state: 'returned', closedOn: '2026-12-01', placement: '二(1)班', noticeDeadline: '2026-12-10' });
    expect(r.case.history.map((h) => `${h.from}>${h.to}`)).toEqual([
      'suspected>suspected',
      'suspected>suspected',
      'suspected>confirmed',
      'confirmed>notice_issued',
      'notice_issued>returned',
    ]);
    expect(isOpen(r.case)).toBe(false);
    expect(onDropoutRoster(r.case)).toBe(false);
  });
  it('referral path: on the roster and still open; a referred student may still return', () => {
    const c = caseIn('referred');
    expect(onDropoutRoster(c)).toBe(true);
    expect(isOpen(c)).toBe(true);
    expect(applyCaseEvent(c, ret).ok).toBe(true);
  });
  it('never mutates its input, in any state, for any event', () => {
    const freeze = <T>(o: T): T => {
      if (o && typeof o === 'object') for (const v of Object.values(o)) freeze(v);
      return Object.freeze(o);
    };
    for (const state of CASE_STATES) {
      const c = caseIn(state);
      const snapshot = JSON.stringify(c);
      for (const e of EVENTS) expect(() => applyCaseEvent(freeze(c), e)).not.toThrow();
      expect(JSON.stringify(c)).toBe(snapshot);
    }
  });
  it('history keeps every applied event in order, refusals leave no trace', () => {
    const events = [assign, refusedVisit, confirm, notice, passed];
    const r = replayCase('2026-11-24', by, events);
    if (!r.ok) throw new Error(r.reason);
    expect(r.case.history.map((h) => h.event)).toEqual(events);
    expect(r.case.history.map((h) => h.to)).toEqual(['suspected', 'suspected', 'confirmed', 'notice_issued', 'referred']);
    const refused = applyCaseEvent(r.case, withdraw);
    expect(refused.ok).toBe(false);
    expect(r.case.history).toHaveLength(5);
  });
  it('replay stops at the first refusal', () => {
    expect(replayCase('2026-11-24', by, [confirm, assign])).toMatchObject({ ok: false, code: 'precondition' });
  });
  it('withdrawal closes the case with its reason; it was never on the dropout roster', () => {
    const c = caseIn('withdrawn');
    expect(c).toMatchObject({ withdrawReason: 'transferred', closedOn: '2026-11-25' });
    expect(isOpen(c)).toBe(false);
    expect(onDropoutRoster(c)).toBe(false);
    expect(onDropoutRoster(caseIn('suspected'))).toBe(false);
  });
  it('every state, reason and outcome has a zh-CN label', () => {
    const han = /[\u4e00-\u9fa5]/;
    for (const k of CASE_STATES) expect(CASE_STATE_LABELS[k]).toMatch(han);
    for (const k of HOME_VISIT_REASONS) expect(HOME_VISIT_REASON_LABELS[k]).toMatch(han);
    for (const k of HOME_VISIT_OUTCOMES) expect(HOME_VISIT_OUTCOME_LABELS[k]).toMatch(han);
    for (const k of WITHDRAW_REASONS) expect(WITHDRAW_REASON_LABELS[k]).toMatch(han);
  });
  it('visits accumulate', () => {
    const r = replayCase('2026-11-24', by, [willReturnVisit, refusedVisit]);
    expect(r.ok && r.case.visits.map((v) => v.outcome)).toEqual(['will_return', 'refused']);
  });
});

describe('follow-up after 复学 (留得住)', () => {
  it('a return with a follow-up end keeps the case open as 跟踪中(复学后) until then', () => {
    const c = caseIn('following');
    expect(isOpen(c)).toBe(true);
    expect(onDropoutRoster(c)).toBe(false);
    expect(c.followUntil).toBe('2027-01-13');
    expect(CASE_STATE_LABELS.following).toBe('跟踪中(复学后)');
  });
  it('the period cannot be closed before its end', () => {
    const r = applyCaseEvent(caseIn('following'), { type: 'follow_up_end', at: '2027-01-12', by });
    expect(r).toMatchObject({ ok: false, code: 'precondition' });
    if (!r.ok) expect(r.reason).toContain('2027-01-13');
  });
  it('closing at the end is 动态销号 on that day', () => {
    const r = applyCaseEvent(caseIn('following'), followEnd);
    expect(r.ok && r.case.state).toBe('returned');
    expect(r.ok && r.case.closedOn).toBe('2027-01-13');
  });
  it('a relapse puts the case back on the suspected ledger, and a new return follows again', () => {
    const r = replayCase('2026-11-24', by, [
      assign,
      followRet,
      relapse,
      { ...followRet, at: '2027-01-05', returnedOn: '2027-01-05', followUntil: '2027-02-20' },
    ]);
    expect(r.ok && r.case.state).toBe('following');
    expect(r.ok && r.case.followUntil).toBe('2027-02-20');
  });
  it('a follow-up end before the return day is refused', () => {
    const r = applyCaseEvent(caseIn('suspected'), { ...followRet, followUntil: '2026-12-01' });
    expect(r).toMatchObject({ ok: false, code: 'bad_argument' });
  });
});
