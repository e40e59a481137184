/**
 * The monthly report's raw counts per school and grade, read for a school, a town's schools or the whole county in
 * a handful of set-based statements: today's roll, the term's register changes, dropouts confirmed and returns (from
 * the case events' dates), and the open cases with the people responsible for them.
 */
import type { Tx } from '../store/prisma.js';
import type { DateStr, Stage } from '../domain/types.js';
import type { TermConfig } from '../domain/calendar.js';
import { CASE_STATE_LABELS, HOME_VISIT_OUTCOME_LABELS, HOME_VISIT_REASON_LABELS, onDropoutRoster, type DropoutCase } from '../domain/dropout-case.js';
import { ATTENTION_LABELS, type AttentionKind } from '../domain/types.js';
import { caseEventsByGrade, registerChangesByGrade, rollByGrade, type GradeKey, type ReportScope } from '../store/report.repository.js';
import { caretakersOf } from '../store/area-cases.repository.js';
import { casesInArea } from '../services/roster.js';
import { suspectedStreakStarts } from '../store/alert-read.repository.js';

export const ZERO = { current: 0, transferredIn: 0, transferredOut: 0, suspended: 0, borrowing: 0, droppedMonth: 0, droppedTerm: 0, returnedTerm: 0 };
export type Counts = typeof ZERO;
export type GradeCounts = Counts & { stage: Stage; grade: number };

export interface CaseLine {
  id: number;
  name: string;
  /** 学籍号 */
  studentNo: string;
  className: string;
  village: string;
  state: string;
  openedOn: string;
  responsible: string;
  /** On the 辍学学生花名册 (confirmed, notice issued, referred); otherwise a suspected pupil (疑似辍学台账). */
  confirmed: boolean;
  /** 辍学原因: the reasons the home visits found, latest last ('' before any visit). */
  reason: string;
  /** 家访结果/劝返情况: visits, the latest outcome, the notice and its deadline. */
  visits: string;
  /** 重点关注 categories of the pupil. */
  attention: string;
  /** The first day of the absence streak that opened the case (the suspected-dropout alert), else the day it opened. */
  since: string;
  /** What is to be done next on the case. */
  step: string;
}

export interface SchoolFacts {
  grades: GradeCounts[];
  cases: CaseLine[];
}

/** The period a month's report covers: the term it falls in, up to the month's last day or today if earlier. */
export interface ReportPeriod {
  month: string;
  term: TermConfig;
  asOf: DateStr;
}

const CHANGE_FIELD: Record<string, keyof Counts> = {
  transferred_out: 'transferredOut',
  transferred_in: 'transferredIn',
  suspended: 'suspended',
  borrowing: 'borrowing',
};

const keyOf = (k: GradeKey) => `${k.schoolId}|${k.stage}|${k.grade}`;

/** Per school of the scope (those with students): its grades' counts and, if asked, its open cases. */
export async function reportFacts(tx: Tx, scope: ReportScope, p: ReportPeriod, withCases: boolean): Promise<Map<number, SchoolFacts>> {
  const [roll, changes, events, cases] = await Promise.all([
    rollByGrade(tx, scope),
    registerChangesByGrade(tx, scope, p.term.start, p.asOf),
    caseEventsByGrade(tx, scope, ['confirm', 'return']),
    withCases ? caseLines(tx, scope) : Promise.resolve(new Map<number, CaseLine[]>()),
  ]);
  const grades = new Map<string, GradeCounts>();
  for (const r of roll) grades.set(keyOf(r), { ...ZERO, stage: r.stage as Stage, grade: r.grade, current: r.enrolled });
  const bump = (k: GradeKey, field: keyof Counts, n = 1) => {
    const g = grades.get(keyOf(k));
    if (g) g[field] += n;
  };
  for (const c of changes) if (CHANGE_FIELD[c.change]) bump(c, CHANGE_FIELD[c.change]!, c.n);
  const confirmedCases = new Set(events.filter((e) => e.type === 'confirm').map((e) => e.caseId));
  for (const e of events) {
    const at = JSON.parse(e.payload) as { at: string; returnedOn?: string };
    if (e.type === 'confirm' && at.at >= p.term.start && at.at <= p.asOf) {
      bump(e, 'droppedTerm');
      if (at.at.startsWith(p.month)) bump(e, 'droppedMonth');
    }
    const on = at.returnedOn ?? at.at;
    if (e.type === 'return' && confirmedCases.has(e.caseId) && on >= p.term.start && on <= p.asOf) bump(e, 'returnedTerm');
  }
  const out = new Map<number, SchoolFacts>();
  for (const r of roll) {
    const f = out.get(r.schoolId) ?? { grades: [], cases: cases.get(r.schoolId) ?? [] };
    f.grades.push(grades.get(keyOf(r))!);
    out.set(r.schoolId, f);
  }
  return out;
}

/** The open cases of the scope's schools by school (each by case id), with the class teachers and village cadres responsible. */
async function caseLines(tx: Tx, scope: ReportScope): Promise<Map<number, CaseLine[]>> {
  const list = await casesInArea(tx, scope, false);
  const inScope = list.filter(({ s }) => (scope.kind === 'town' ? s.class.school.townId === scope.townId : true));
  const { teachers, cadres } = await caretakersOf(
    tx,
    inScope.map(({ s }) => s.classId),
    inScope.map(({ s }) => s.villageId),
  );
  const names = (people: { name: string }[] | undefined) => (people ?? []).map((x) => x.name);
  const teachersOf = groupBy(teachers, (t) => t.classId);
  const cadresOf = groupBy(cadres, (v) => v.villageId);
  const out = new Map<number, CaseLine[]>();
  const since = await suspectedStreakStarts(
    tx,
    inScope.map(({ s }) => s.id),
  );
  for (const { row, s, c } of inScope) {
    const responsible = [...names(teachersOf.get(s.classId)), ...names(cadresOf.get(s.villageId))].join('、');
    const line: CaseLine = {
      id: row.id,
      name: s.name,
      studentNo: s.studentNo,
      className: s.class.name,
      village: `${s.village.town.name}${s.village.name}`,
      state: stateLabel(c.state, s.status),
      openedOn: row.openedOn,
      responsible,
      ...caseDetail(c, s.attention),
      since: since.get(s.id) ?? row.openedOn,
    };
    const lines = out.get(s.class.schoolId) ?? [];
    lines.push(line);
    out.set(s.class.schoolId, lines);
  }
  return out;
}

function groupBy<T, K>(xs: T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const list = out.get(key(x)) ?? [];
    list.push(x);
    out.set(key(x), list);
  }
  return out;
}

/** The case's columns on the form: reasons found, visits and their outcome, attention categories, the next step. */
function caseDetail(c: DropoutCase, attention: string): Pick<CaseLine, 'confirmed' | 'reason' | 'visits' | 'attention' | 'step'> {
  const reasons = [...new Set(c.visits.map((v) => HOME_VISIT_REASON_LABELS[v.reason]))];
  const last = c.visits.at(-1);
  const visits = [
    c.visits.length
      ? `家访${c.visits.length}次，最近${last!.at.slice(5)}：${HOME_VISIT_OUTCOME_LABELS[last!.outcome]}${last!.note ? `（${last!.note}）` : ''}`
      : '尚未家访',
    c.noticeDeadline ? `已发返校通知书，期限${c.noticeDeadline}` : '',
  ].filter(Boolean);
  const kinds = attention
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => ATTENTION_LABELS[k as AttentionKind] ?? k);
  return { confirmed: onDropoutRoster(c), reason: reasons.join('、'), visits: visits.join('；'), attention: kinds.join('、'), step: nextStep(c) };
}

/** Register states worth flagging beside the case's (a transfer awaiting confirmation is not yet a dropout). */
const STATUS_NOTES: Record<string, string> = { transfer_pending: '转学待核实', transferred_out: '已转出', suspended: '休学', borrowing: '借读' };

function stateLabel(state: string, status: string): string {
  const label = (CASE_STATE_LABELS as Record<string, string>)[state] ?? state;
  const note = STATUS_NOTES[status];
  return note && !label.includes(note) ? `${label}（${note}）` : label;
}

function nextStep(c: DropoutCase): string {
  switch (c.state) {
    case 'suspected':
      if (c.visits.length === 0) return '待入户家访';
      return c.visits.some((v) => v.outcome !== 'will_return') ? '劝返未成，待确认辍学' : '家长答应返校，待返校销号';
    case 'confirmed':
      return c.visits.some((v) => v.outcome !== 'will_return') ? '继续劝返；无效由镇政府发返校通知书' : '继续劝返';
    case 'notice_issued':
      return `返校期限${c.noticeDeadline ?? ''}，逾期报镇政府`;
    case 'referred':
      return '已报镇政府依法处理';
    default:
      return (CASE_STATE_LABELS as Record<string, string>)[c.state] ?? c.state;
  }
}
