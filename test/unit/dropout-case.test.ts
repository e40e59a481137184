import { describe, expect, it } from 'vitest';
import { allowedEvents, applyCaseEvent, CASE_STATES, isOpen, onDropoutRoster, openCase, replayCase, type CaseEvent, type CaseState, type DropoutCase } from '../../src/domain/dropout-case.js';

const by = 'u1';
const assign: CaseEvent = { type: 'assign', at: '2026-11-25', by, schoolLineId: 't1', townLineId: 'v1' };
const refusedVisit: CaseEvent = { type: 'home_visit', at: '2026-11-25', by, visitorIds: ['t1', 'v1'], reason: 'weariness', outcome: 'refused' };
const willReturnVisit: CaseEvent = { type: 'home_visit', at: '2026-11-25', by, visitorIds: ['t1'], reason: 'family', outcome: 'will_return' };
const confirm: CaseEvent = { type: 'confirm', at: '2026-11-26', by };
const notice: CaseEvent = { type: 'issue_notice', at: '2026-11-27', by, deadline: '2026-12-10' };
const ret: CaseEvent = { type: 'return', at: '2026-12-01', by, returnedOn: '2026-12-01', placement: '二(1)班' };
const passed: CaseEvent = { type: 'deadline_passed', at: '2026-12-11', by };
const withdraw: CaseEvent = { type: 'withdraw', at: '2026-11-25', by, reason: 'transferred' };

/** A case in each state, reached through legal events. */
function caseIn(state: CaseState): DropoutCase {
  const paths: Record<CaseState, CaseEvent[]> = {
    suspected: [assign, refusedVisit],
    confirmed: [assign, refusedVisit, confirm],
    notice_issued: [assign, refusedVisit, confirm, notice],
    referred: [assign, refusedVisit, confirm, notice, passed],
    returned: [ret],
    withdrawn: [withdraw],
  };
  const r = replayCase('2026-11-24', by, paths[state]);
  if (!r.ok) throw new Error(r.reason);
  expect(r.case.state).toBe(state);
  return r.case;
}

const EVENTS: CaseEvent[] = [assign, refusedVisit, confirm, notice, ret, passed, withdraw];
const EXPECTED: Record<CaseState, Partial<Record<CaseEvent['type'], CaseState>>> = {
  suspected: { assign: 'suspected', home_visit: 'suspected', confirm: 'confirmed', return: 'returned', withdraw: 'withdrawn' },
  confirmed: { assign: 'confirmed', home_visit: 'confirmed', issue_notice: 'notice_issued', return: 'returned' },
  notice_issued: { assign: 'notice_issued', home_visit: 'notice_issued', return: 'returned', deadline_passed: 'referred' },
  referred: { return: 'returned' },
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
  it('a return before the case opened is refused; bad dates too', () => {
    expect(applyCaseEvent(openCase('2026-11-24', by), { ...ret, returnedOn: '2026-11-01' } as CaseEvent)).toMatchObject({ ok: false, code: 'bad_argument' });
    expect(applyCaseEvent(openCase('2026-11-24', by), { ...confirm, at: '11/26' })).toMatchObject({ ok: false, code: 'bad_argument' });
  });
});

describe('paths and bookkeeping', () => {
  it('happy path: suspected → confirmed → notice → returned, closed with the date and placement', () => {
    const r = replayCase('2026-11-24', by, [assign, refusedVisit, confirm, notice, ret]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.case).toMatchObject({ state: 'returned', closedOn: '2026-12-01', placement: '二(1)班', noticeDeadline: '2026-12-10' });
    expect(r.case.history.map((h) => `${h.from}>${h.to}`)).toEqual(['suspected>suspected', 'suspected>suspected', 'suspected>confirmed', 'confirmed>notice_issued', 'notice_issued>returned']);
    expect(isOpen(r.case)).toBe(false);
    expect(onDropoutRoster(r.case)).toBe(false);
  });
  it('referral path: on the roster and still open; a referred student may still return', () => {
    const c = caseIn('referred');
    expect(onDropoutRoster(c)).toBe(true);
    expect(isOpen(c)).toBe(true);
    expect(applyCaseEvent(c, ret).ok).toBe(true);
  });
  it('never mutates its input', () => {
    const c = caseIn('suspected');
    const snapshot = JSON.stringify(c);
    applyCaseEvent(c, confirm);
    applyCaseEvent(c, refusedVisit);
    expect(JSON.stringify(c)).toBe(snapshot);
  });
  it('visits accumulate', () => {
    const r = replayCase('2026-11-24', by, [willReturnVisit, refusedVisit]);
    expect(r.ok && r.case.visits.map((v) => v.outcome)).toEqual(['will_return', 'refused']);
  });
});
