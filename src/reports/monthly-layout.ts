/**
 * The monthly form's layout, shared by the PDF and the .xlsx: leaf columns under group headings (a two-row header),
 * each row's cells as typed values (counts, rates, text), and the case and weekly tables.
 */
import type { Figures, GradeRow, MonthlyReportModel } from './monthly-model.js';
import type { CaseLine } from './monthly-facts.js';
import type { MonthlyForm } from './monthly-form.js';
import type { Targets } from '../domain/rates.js';

/** The leaf columns in order, by their full names (the .xlsx's and the tests' keys). */
export const REPORT_COLUMNS = [
  '学段',
  '年级',
  '期初在籍',
  '现在籍',
  '本学期转入',
  '本学期转出',
  '本学期休学',
  '本学期借读',
  '本月辍学',
  '本学期辍学',
  '本学期复学',
  '辍学率',
  '辍学率控制目标',
  '本学期在籍保持率',
  '备注',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** A header group: `title` over `span` leaf columns; a group without `subs` is one heading over both header rows. */
export interface HeaderGroup {
  title: string;
  subs?: string[];
}

export type Cell = { kind: 'text'; v: string } | { kind: 'count'; v: number } | { kind: 'rate'; v: number | undefined; prefix?: string };

const text = (v: string): Cell => ({ kind: 'text', v });

/** The two-row header of the form: group headings over sub-headings. */
export function formHeader(m: Pick<MonthlyReportModel, 'rowHeader'>): HeaderGroup[] {
  return [
    { title: '学段' },
    { title: m.rowHeader },
    { title: '在籍人数', subs: ['期初在籍', '现在籍'] },
    { title: '本学期学籍变动（不计辍学）', subs: ['转入', '转出', '休学', '借读'] },
    { title: '辍学人数', subs: ['本月辍学', '本学期辍学', '本学期复学'] },
    { title: '辍学率', subs: ['本学期', '控制目标'] },
    { title: '本学期在籍保持率' },
    { title: '备注' },
  ];
}

/** The form's columns: the second names what a row is (a grade, a school of the town, a town of the county). */
export function columnsFor(m: Pick<MonthlyReportModel, 'rowHeader'>): string[] {
  return REPORT_COLUMNS.map((c, i) => (i === 1 ? m.rowHeader : c));
}

export type RowKind = 'detail' | 'subtotal' | 'total';
export interface FormRow {
  kind: RowKind;
  stage?: 'primary' | 'junior';
  cells: Cell[];
  /** Leaf column indexes to print in red (a rate over its target). */
  red: number[];
}

const COUNT_KEYS = [
  'atTermStart',
  'current',
  'transferredIn',
  'transferredOut',
  'suspended',
  'borrowing',
  'droppedMonth',
  'droppedTerm',
  'returnedTerm',
] as const;
export const FIRST_COUNT = 2;
export const RATE_COL = REPORT_COLUMNS.indexOf('辍学率');

function figureCells(f: Figures, stage: 'primary' | 'junior' | undefined, t: Targets | undefined): Cell[] {
  const dropTarget = stage && t ? (stage === 'primary' ? t.primaryDropoutMax : t.juniorDropoutMax) : undefined;
  return [
    ...COUNT_KEYS.map((k): Cell => ({ kind: 'count', v: f[k] })),
    { kind: 'rate', v: f.dropoutRate },
    dropTarget === undefined ? text('—') : { kind: 'rate', v: dropTarget, prefix: '≤' },
    { kind: 'rate', v: f.retentionRate },
  ];
}

const stageLabel = (s: 'primary' | 'junior') => (s === 'primary' ? '小学' : '初中');

/** The form's rows: one per grade (or school, or town), stage subtotals with any breach noted, the total. */
export function formRows(m: MonthlyForm): FormRow[] {
  const t = m.targets as Targets | undefined;
  const detail = (r: GradeRow): FormRow => ({
    kind: 'detail',
    stage: r.stage,
    cells: [text(stageLabel(r.stage)), text(r.label), ...figureCells(r, r.stage, t), text('')],
    red: [],
  });
  const stages = m.stages.map(
    (st): FormRow => ({
      kind: 'subtotal',
      stage: st.stage,
      cells: [text(st.label), text('小计'), ...figureCells(st.figures, st.stage, t), text(st.breaches.map((b) => `⚠ ${b.text}`).join('；'))],
      red: st.breaches.length ? [RATE_COL, REPORT_COLUMNS.length - 1] : [],
    }),
  );
  const single = m.stages.length === 1 ? m.stages[0]!.stage : undefined;
  return [...m.rows.map(detail), ...stages, { kind: 'total', cells: [text('合计'), text(''), ...figureCells(m.total, single, t), text('')], red: [] }];
}

export function rateText(c: Cell): string {
  if (c.kind === 'text') return c.v;
  if (c.kind === 'count') return String(c.v);
  return c.v === undefined ? '—' : `${c.prefix ?? ''}${(c.v * 100).toFixed(2)}%`;
}

/** 辍学学生花名册: confirmed dropouts only. */
export const ROSTER_HEADER = ['序号', '姓名', '学籍号', '年级班级', '家庭住址', '辍学原因', '家访结果 / 劝返情况', '重点关注', '包保\n责任人', '状态'];
export function rosterCells(c: CaseLine, i: number): string[] {
  return [String(i + 1), c.name, c.studentNo, c.className, c.village, c.reason || '未查明', c.visits, c.attention || '—', c.responsible || '—', c.state];
}

/** 疑似辍学: suspected pupils, with when the absence began, for how many school days, and the step now. */
export const SUSPECTED_HEADER = [
  '序号',
  '姓名',
  '学籍号',
  '年级班级',
  '缺勤\n起始',
  '列入\n台账',
  '已缺勤\n上学日',
  '当前环节',
  '家访情况',
  '重点关注',
  '包保\n责任人',
  '状态',
];
export function suspectedCells(c: CaseLine, i: number, days: number | undefined): string[] {
  return [
    String(i + 1),
    c.name,
    c.studentNo,
    c.className,
    c.since,
    c.openedOn,
    days === undefined ? '—' : String(days),
    c.step,
    c.visits,
    c.attention || '—',
    c.responsible || '—',
    c.state,
  ];
}

export const confirmedCases = (m: MonthlyReportModel) => m.cases.filter((c) => c.confirmed);
export const suspectedCases = (m: MonthlyReportModel) => m.cases.filter((c) => !c.confirmed);

/** The weekly table's sub-headings under each week. */
export const WEEK_SUBS = ['应到', '实到', '请假', '旷课'] as const;
export const MISSING_HEADER = ['序号', '学校', '班级数', '应报周次\n（班·周）', '缺报\n周次', '缺报的班级（周）'];
