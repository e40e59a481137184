/**
 * The annual assessment as a workbook: a sheet of schools and a sheet of towns (with the county's line), each with a
 * two-row header (frozen), rates and targets as numbers in 0.00% format, counts as numbers, the notes, and the
 * signature and stamp lines.
 */
import type ExcelJS from 'exceljs';
import { RATE_LABELS, TARGET_FIELD, TARGET_KIND, hasValue, type RateKey } from '../domain/rates.js';
import { vetoText, type AssessmentModel, type AssessmentRow } from './assessment-model.js';
import { safeCell } from './safe-cell.js';

type Cell = string | number;
interface Col {
  group?: string;
  label: string;
  width: number;
  pct?: boolean;
  get(r: AssessmentRow, i: number): Cell;
}

const rateCols = (k: RateKey): Col[] => [
  {
    group: RATE_LABELS[k],
    label: '实际',
    width: 11,
    pct: true,
    get: (r) => (r.rates[k] ? (hasValue(r.rates[k]) ? r.rates[k].value : r.rates[k].missing) : '—'),
  },
  {
    group: RATE_LABELS[k],
    label: TARGET_KIND[k] === 'max' ? '目标（≤）' : '目标（≥）',
    width: 10,
    pct: true,
    get: (r) => (r.rates[k] ? r.targets[TARGET_FIELD[k]] : '—'),
  },
];

const tail = (yellow: Col): Col[] => [
  { group: '本学年抽查', label: '次数', width: 7, get: (r) => r.inspections },
  { group: '本学年抽查', label: '不合格', width: 7, get: (r) => r.failures },
  yellow,
  { group: '预警升级', label: '到镇', width: 7, get: (r) => r.escalatedTown },
  { group: '预警升级', label: '到县', width: 7, get: (r) => r.escalatedCounty },
  { label: '过错记录', width: 8, get: (r) => r.faultRecords },
  { label: '一票否决', width: 30, get: (r) => (r.breaches.some((b) => b.veto) ? `是：${vetoText(r)}` : '否') },
  { label: '考核结论', width: 34, get: (r) => r.conclusion },
];

export const SCHOOL_COLUMNS: Col[] = [
  { label: '序号', width: 6, get: (_r, i) => i + 1 },
  { label: '乡镇', width: 12, get: (r) => r.townName },
  { label: '学校', width: 24, get: (r) => r.name },
  ...rateCols('primaryDropout'),
  ...rateCols('juniorDropout'),
  ...rateCols('consolidation'),
  ...tail({ group: '本学年抽查', label: '黄牌', width: 7, get: (r) => (r.yellowCards ? '是' : '否') }),
];

export const TOWN_COLUMNS: Col[] = [
  { label: '序号', width: 6, get: (r, i) => (r.kind === 'county' ? '' : i + 1) },
  { label: '乡镇', width: 16, get: (r) => r.name },
  ...rateCols('primaryDropout'),
  ...rateCols('juniorDropout'),
  ...rateCols('consolidation'),
  ...rateCols('primaryEnrolment'),
  ...rateCols('juniorGrossEnrolment'),
  ...tail({ group: '本学年抽查', label: '黄牌学校', width: 8, get: (r) => r.yellowCards }),
];

const thin = { style: 'thin' as const };
const box = { top: thin, bottom: thin, left: thin, right: thin };
const RED = { argb: 'FFC00000' };

function sheet(wb: ExcelJS.Workbook, name: string, m: AssessmentModel, cols: Col[], rows: AssessmentRow[]): void {
  const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = cols.length;
  ws.mergeCells(1, 1, 1, n);
  ws.getCell(1, 1).value = safeCell(`《${m.title}》（${name}）`);
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = safeCell(`${m.yearLabel}　考核期间：${m.from} 至 ${m.asOf}`);
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  // Two-row header: a group over its columns, a column without a group spans both rows.
  for (let c = 1; c <= n; c++) {
    const col = cols[c - 1]!;
    if (!col.group) {
      ws.mergeCells(3, c, 4, c);
      ws.getCell(3, c).value = col.label;
      continue;
    }
    if (cols[c - 2]?.group !== col.group) {
      let end = c;
      while (cols[end]?.group === col.group) end++;
      if (end > c) ws.mergeCells(3, c, 3, end);
      ws.getCell(3, c).value = col.group;
    }
    ws.getCell(4, c).value = col.label;
  }
  for (const r of [3, 4]) {
    ws.getRow(r).font = { bold: true };
    ws.getRow(r).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  rows.forEach((row, i) => {
    const line = ws.addRow(
      cols.map((c) => {
        const v = c.get(row, i);
        return typeof v === 'string' ? safeCell(v) : v;
      }),
    );
    cols.forEach((c, j) => {
      const cell = line.getCell(j + 1);
      if (c.pct && typeof cell.value === 'number') cell.numFmt = '0.00%';
      if (typeof cell.value === 'string') cell.alignment = { wrapText: true, vertical: 'top' };
    });
    if (row.kind === 'county') line.font = { bold: true };
    if (row.breaches.some((b) => b.veto)) {
      line.getCell(n - 1).font = { color: RED };
      line.getCell(n).font = { bold: true, color: RED };
    }
    for (const b of row.breaches) {
      const j = cols.findIndex((c) => c.group === RATE_LABELS[b.figure] && c.label === '实际');
      if (j >= 0) line.getCell(j + 1).font = { bold: true, color: RED };
    }
  });
  for (let r = 3; r <= ws.rowCount; r++) for (let c = 1; c <= n; c++) ws.getCell(r, c).border = box;
  cols.forEach((c, i) => (ws.getColumn(i + 1).width = c.width));
  ws.views = [{ state: 'frozen', xSplit: name === '学校' ? 3 : 2, ySplit: 4 }];
  ws.addRow([]);
  for (const note of m.notes) {
    ws.addRow([safeCell(note)]).getCell(1).alignment = { wrapText: true, vertical: 'top' };
    ws.mergeCells(ws.rowCount, 1, ws.rowCount, n);
    ws.getRow(ws.rowCount).height = Math.max(15, Math.ceil(note.length / 110) * 15);
  }
  ws.addRow([]);
  const sign = ws.addRow([]);
  sign.getCell(1).value = '填表人：';
  sign.getCell(4).value = '审核人：';
  sign.getCell(8).value = '县教育局分管领导（签字）：';
  sign.getCell(n - 1).value = '县教育局（盖章）';
  ws.addRow([]).getCell(n - 1).value = '日期：    年   月   日';
}

export async function assessmentXlsx(m: AssessmentModel): Promise<Buffer> {
  // ExcelJS (~25 MB) is loaded by the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.title = m.title;
  sheet(wb, '学校', m, SCHOOL_COLUMNS, m.schools);
  sheet(wb, '乡镇', m, TOWN_COLUMNS, m.towns);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
