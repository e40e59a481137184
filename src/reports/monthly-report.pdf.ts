/**
 * The monthly school report as a PDF for printing and stamping: the same form as the .xlsx, A4 landscape, Chinese
 * set in Noto Sans SC embedded from the npm package (see fonts.ts), so it prints the same on any machine.
 */
import PDFDocument from 'pdfkit';
import { formatRate } from '../domain/rates.js';
import { cjkFontPath } from './fonts.js';
import type { Figures, MonthlyReportModel } from './monthly-model.js';
import { columnsFor } from './monthly-report.xlsx.js';

const WIDTHS = [40, 46, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 134];

function cells(f: Figures): string[] {
  return [f.atTermStart, f.current, f.transferredIn, f.transferredOut, f.suspended, f.borrowing, f.droppedMonth, f.droppedTerm, f.returnedTerm].map(String).concat(formatRate(f.dropoutRate), formatRate(f.retentionRate));
}

export function monthlyReportPdf(m: MonthlyReportModel): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: `${m.title}（${m.month}）` } });
  doc.registerFont('cjk', cjkFontPath(400));
  doc.registerFont('cjk-bold', cjkFontPath(700));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const [year, mon] = m.month.split('-').map(Number);
  doc.font('cjk-bold').fontSize(18).text(`${m.title}（${year}年${mon}月）`, { align: 'center' });
  doc.moveDown(0.3).font('cjk').fontSize(10).text(`${m.countyName}${m.townName ? ` ${m.townName}` : ''}　学期：${m.termName}（${m.termStart} 起）　统计截至：${m.asOf}`, { align: 'center' });
  doc.moveDown(0.8);
  const x0 = doc.page.margins.left;
  let y = doc.y;
  const row = (values: string[], bold = false, red = -1) => {
    let x = x0;
    const h = 22;
    values.forEach((v, i) => {
      const w = WIDTHS[i]!;
      doc.rect(x, y, w, h).stroke('#444');
      doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(9).fillColor(i === red || (red >= 0 && i === values.length - 1) ? '#c00000' : 'black');
      doc.text(v, x + 3, y + 6, { width: w - 6, height: h - 6, align: i < 2 || i === values.length - 1 ? 'left' : 'right', lineBreak: false, ellipsis: true });
      x += w;
    });
    doc.fillColor('black');
    y += h;
  };
  row(columnsFor(m), true);
  for (const r of m.rows) row([r.stage === 'primary' ? '小学' : '初中', r.label, ...cells(r), '']);
  for (const st of m.stages) row([`${st.label}小计`, '', ...cells(st.figures), st.breaches.map((b) => `⚠ ${b.text}`).join('；')], true, st.breaches.length ? 11 : -1);
  row(['合计', '', ...cells(m.total), ''], true);
  doc.font('cjk').fontSize(8).text(m.notes.join('\n'), x0, y + 8, { width: WIDTHS.reduce((a, b) => a + b, 0) });
  const signer = ({ 年级: '校长（签字）：________　　学校（盖章）', 学校: '分管领导（签字）：________　　镇政府（盖章）', 乡镇: '分管领导（签字）：________　　县教育局（盖章）' } as const)[m.rowHeader];
  doc.fontSize(11).text(`填表人：________　　${signer}　　日期：____年__月__日`, x0, doc.y + 12);
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 36 });
  doc.font('cjk-bold').fontSize(14).text('辍学学生名单', { align: 'center' }).moveDown(0.5);
  doc.font('cjk').fontSize(10);
  if (m.cases.length === 0) doc.text('本校目前没有进行中的辍学个案。');
  for (const c of m.cases) doc.text(`#${c.id}　${c.name}　${c.className}　${c.village}　${c.state}　登记 ${c.openedOn}　包保：${c.responsible || '—'}`);
  doc.end();
  return done;
}
