/**
 * The monthly school report as a PDF for printing and stamping: A4 landscape, Chinese set in Noto Sans SC embedded
 * from the npm package (see fonts.ts). The form's two-row header, every name in full (wrapped, never cut), each
 * stage's target beside its rate; 填报单位 / 填报人 / 联系电话 / 审核人 and the stamp; then the 辍学学生花名册
 * (confirmed) and the 疑似辍学 pupils in separate tables, and the weekly counts; page numbers with the month.
 */
import { cjkPdf } from './pdf-doc.js';
import { drawTable, pageFooters, sectionTitle, type PdfColumn } from './pdf-table.js';
import {
  confirmedCases,
  formHeader,
  formRows,
  MISSING_HEADER,
  rateText,
  ROSTER_HEADER,
  rosterCells,
  suspectedCases,
  SUSPECTED_HEADER,
  suspectedCells,
  WEEK_SUBS,
} from './monthly-layout.js';
import type { MonthlyForm } from './monthly-form.js';

const num = (weight: number): PdfColumn => ({ weight, align: 'right', oneLine: true });
const txt = (weight: number): PdfColumn => ({ weight });
/** 学籍号: one line, shrunk to fit. */
const id = (weight: number): PdfColumn => ({ weight, oneLine: true });

/** The form's header labels as printed: the long sub-headings broken where a clerk would break them. */
function printedHeader(m: MonthlyForm) {
  const breaks: Record<string, string> = {
    期初在籍: '期初\n在籍',
    本月辍学: '本月\n辍学',
    本学期辍学: '本学期\n辍学',
    本学期复学: '本学期\n复学',
    控制目标: '控制\n目标',
    本学期在籍保持率: '本学期\n在籍\n保持率',
  };
  return formHeader(m).map((g) => ({ title: breaks[g.title] ?? g.title, ...(g.subs ? { subs: g.subs.map((s) => breaks[s] ?? s) } : {}) }));
}

export function monthlyReportPdf(m: MonthlyForm): Promise<Buffer> {
  const [year, mon] = m.month.split('-').map(Number);
  const monthLabel = `${year}年${mon}月`;
  const { doc, done } = cjkPdf({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 32, bottom: 36, left: 32, right: 32 },
    bufferPages: true,
    info: { Title: `${m.title}（${monthLabel}）` },
  });
  const x0 = doc.page.margins.left;
  const width = doc.page.width - x0 - doc.page.margins.right;
  const f = m.form;

  doc.font('cjk-bold').fontSize(17).text(`${m.title}（${monthLabel}）`, { align: 'center' });
  doc
    .moveDown(0.2)
    .font('cjk')
    .fontSize(9.5)
    .text(`${m.countyName}${m.townName ? ` ${m.townName}` : ''}　学期：${m.termName}（${m.termStart} 起）　统计截至：${m.asOf}`, { align: 'center' });
  doc.moveDown(0.3);
  const unitLine = `填报单位（盖章）：${f?.unit ?? (m.schoolName || m.townName || m.countyName)}`;
  const y = doc.y;
  doc
    .font('cjk')
    .fontSize(10)
    .text(unitLine, x0, y, { width: width / 2 });
  doc.text(`报表月份：${monthLabel}`, x0 + width / 2, y, { width: width / 2, align: 'right' });
  doc.x = x0;
  doc.moveDown(0.3);

  const wide = m.rowHeader !== '年级';
  drawTable(doc, {
    columns: [txt(3), txt(wide ? 11 : 4.5), ...Array.from({ length: 9 }, () => num(3.3)), num(4.2), num(4), num(5), txt(wide ? 11 : 17)],
    header: printedHeader(m),
    rows: formRows(m).map((r) => ({ cells: r.cells.map(rateText), bold: r.kind !== 'detail', red: r.red, ...(r.kind === 'total' ? { fill: '#f4f4f4' } : {}) })),
    size: 8.5,
  });
  doc.moveDown(0.4);
  // the unit's rates, its breaches (一票否决), each rate's 公式 and the target rule; then the month's remarks
  for (const note of [...m.notes, ...(m.remarks ?? [])])
    doc
      .font('cjk')
      .fontSize(7.5)
      .fillColor(note.startsWith('⚠') ? '#c00000' : 'black')
      .text(note, x0, doc.y, { width });
  doc.fillColor('black');
  signatures(doc, m, x0, width);

  const confirmed = confirmedCases(m);
  sectionTitle(doc, `辍学学生花名册（已确认辍学，${confirmed.length} 人）`, '在册至复学销号；学籍号、住址、监护人等信息仅供包保责任人使用，请勿外传。');
  if (confirmed.length === 0) doc.font('cjk').fontSize(10).text('本期没有在册的辍学学生。');
  else
    drawTable(doc, {
      columns: [txt(2.2), txt(4), id(7.5), txt(10), txt(5), txt(5), txt(12), txt(4.5), txt(5), txt(4.5)],
      header: ROSTER_HEADER.map((title) => ({ title })),
      rows: confirmed.map((c, i) => ({ cells: rosterCells(c, i) })),
      size: 8.5,
    });

  const suspected = suspectedCases(m);
  sectionTitle(
    doc,
    `疑似辍学学生（未确认，${suspected.length} 人）`,
    '连续无故缺勤达到规定天数自动列入疑似辍学台账；经家访核实后确认辍学或撤销，不计入辍学人数。',
  );
  if (suspected.length === 0) doc.font('cjk').fontSize(10).text('本期没有疑似辍学学生。');
  else
    drawTable(doc, {
      columns: [txt(2.2), txt(4), id(7.5), txt(9), num(4.6), num(4.6), num(3.6), txt(6), txt(8), txt(4.5), txt(5), txt(4.5)],
      header: SUSPECTED_HEADER.map((title) => ({ title })),
      rows: suspected.map((c, i) => ({ cells: suspectedCells(c, i, f?.suspectedDays[c.id]) })),
      size: 8.5,
    });

  if (f?.classWeeks) weeklyTable(doc, f);
  if (f?.schoolWeeks) {
    sectionTitle(
      doc,
      '各校周统计缺报情况',
      `本月应报的周（最后一个上学日已过）：${
        f.weeks
          .filter((w) => w.due)
          .map((w) => w.label)
          .join('、') || '无'
      }。`,
    );
    drawTable(doc, {
      columns: [txt(2.2), txt(12), num(3), num(4.5), num(3.5), txt(30)],
      header: MISSING_HEADER.map((title) => ({ title })),
      rows: f.schoolWeeks.map((s, i) => ({
        cells: [
          String(i + 1),
          s.schoolName,
          String(s.classes),
          String(s.due),
          String(s.missing),
          s.detail.join('、') || (s.missing ? '明细见各镇汇总表' : '无'),
        ],
        ...(s.missing ? { red: [4] } : {}),
      })),
      size: 8.5,
    });
  }
  pageFooters(doc, `${m.title}（${monthLabel}）`);
  doc.end();
  return done;
}

function signatures(doc: PDFKit.PDFDocument, m: MonthlyForm, x0: number, width: number): void {
  const f = m.form;
  if (doc.y + 70 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(0.8);
  const y = doc.y;
  const col = width / 4;
  const head = m.rowHeader === '年级' ? '校长' : '单位负责人';
  doc.font('cjk').fontSize(10);
  doc.text(`填报人：${f?.filler || '__________'}`, x0, y, { width: col });
  doc.text(`联系电话：${f?.phone || '______________'}`, x0 + col, y, { width: col });
  doc.text('审核人（签字）：__________', x0 + 2 * col, y, { width: col });
  doc.text(`${head}（签字）：__________`, x0 + 3 * col, y, { width: col });
  const y2 = y + 26;
  doc.text('填报日期：______年____月____日', x0, y2, { width: 2 * col });
  doc.text(`${f?.stamp ?? '单位（盖章）'}：`, x0 + 2 * col, y2, { width: 2 * col });
  // the stamp's place
  const cx = x0 + 2 * col + doc.widthOfString(`${f?.stamp ?? '单位（盖章）'}：`) + 40;
  doc
    .save()
    .lineWidth(0.5)
    .dash(2, { space: 2 })
    .circle(cx, y2 + 8, 22)
    .stroke('#999')
    .undash()
    .restore();
  doc
    .font('cjk')
    .fontSize(7)
    .fillColor('#999')
    .text('单位盖章', cx - 20, y2 + 4, { width: 40, align: 'center', lineBreak: false })
    .fillColor('black');
  doc.x = x0;
  doc.y = y2 + 36;
}

/** Each class's weekly counts for the month (应到/实到/请假/旷课 per week), then the classes that did not report. */
function weeklyTable(doc: PDFKit.PDFDocument, f: NonNullable<MonthlyForm['form']>): void {
  const classes = f.classWeeks!;
  sectionTitle(doc, '各班每周考勤统计（班级每周一统计）', '“未报”为该周最后一个上学日已过仍未报周统计；“—”为尚未到期。请假含病假和事假。');
  if (f.weeks.length === 0) {
    doc.font('cjk').fontSize(10).text('本月没有上学日。');
    return;
  }
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  drawTable(doc, {
    columns: [txt(6), ...f.weeks.flatMap(() => WEEK_SUBS.map(() => num(2.6)))],
    header: [{ title: '班级' }, ...f.weeks.map((w) => ({ title: `${w.label}（${w.week.slice(5)}）`, subs: [...WEEK_SUBS] }))],
    rows: classes.map((c) => ({
      cells: [
        c.className,
        ...c.counts.flatMap((k, i) => (k ? [cell(k.enrolled), cell(k.present), cell(k.leave), cell(k.truant)] : [f.weeks[i]!.due ? '未报' : '—', '', '', ''])),
      ],
      red: c.counts.flatMap((k, i) => (!k && f.weeks[i]!.due ? [1 + 4 * i] : [])),
    })),
    size: 8,
  });
  const missing = classes.filter((c) => c.missing.length);
  doc.moveDown(0.4).font('cjk').fontSize(9.5);
  doc.text(
    missing.length
      ? `本月未报周统计的班级（${missing.length} 个）：${missing.map((c) => `${c.className}（${c.missing.join('、')}）`).join('；')}`
      : '本月各班周统计齐全。',
    doc.page.margins.left,
  );
}
