/**
 * The annual assessment as a printable PDF: A4 landscape, Noto Sans SC embedded (fonts.ts), the schools' table, then
 * the towns' with the county's line, each with a two-row header repeated on every page; every cell wraps (no text is
 * cut), rows grow to fit. Notes, then the signature and stamp lines.
 */
import { formatRate, hasValue, RATE_LABELS, TARGET_FIELD, TARGET_KIND, type RateKey } from '../domain/rates.js';
import { cjkPdf } from './pdf-doc.js';
import { vetoText, type AssessmentModel, type AssessmentRow } from './assessment-model.js';

interface Col {
  group?: string;
  label: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  get(r: AssessmentRow, i: number): string;
  red?(r: AssessmentRow): boolean;
}

/** "0.48%" over its target "≤0.50%"; 未导入 … where it cannot be computed; — where it does not apply. */
const rateCol = (k: RateKey, group: string | undefined, label: string, width: number): Col => ({
  group,
  label,
  width,
  align: 'center',
  get: (r) => {
    const x = r.rates[k];
    if (!x) return '—';
    const target = `${TARGET_KIND[k] === 'max' ? '≤' : '≥'}${formatRate(r.targets[TARGET_FIELD[k]])}`;
    return hasValue(x) ? `${formatRate(x.value)}\n目标${target}` : `${x.missing}\n目标${target}`;
  },
  red: (r) => r.breaches.some((b) => b.figure === k),
});

const count = (group: string | undefined, label: string, width: number, get: (r: AssessmentRow) => number | string): Col => ({
  group,
  label,
  width,
  align: 'center',
  get: (r) => String(get(r)),
});

const tail = (yellow: Col, veto: number, conclusion: number, w = 34): Col[] => [
  count('本学年抽查', '次数', w, (r) => r.inspections),
  count('本学年抽查', '不合格', w, (r) => r.failures),
  yellow,
  count('预警升级', '到镇', w, (r) => r.escalatedTown),
  count('预警升级', '到县', w, (r) => r.escalatedCounty),
  count(undefined, '过错\n记录', w, (r) => r.faultRecords),
  { label: '一票否决', width: veto, get: (r) => (r.breaches.some((b) => b.veto) ? `是：${vetoText(r)}` : '否'), red: (r) => r.breaches.some((b) => b.veto) },
  { label: '考核结论', width: conclusion, get: (r) => r.conclusion, red: (r) => !r.conclusion.startsWith('合格') },
];

const SCHOOL_COLUMNS: Col[] = [
  { label: '序号', width: 22, align: 'center', get: (_r, i) => String(i + 1) },
  { label: '乡镇', width: 50, get: (r) => r.townName },
  { label: '学校', width: 110, get: (r) => r.name },
  rateCol('primaryDropout', '辍学率', '小学', 62),
  rateCol('juniorDropout', '辍学率', '初中', 62),
  rateCol('consolidation', undefined, RATE_LABELS.consolidation, 62),
  ...tail(
    count('本学年抽查', '黄牌', 34, (r) => (r.yellowCards ? '是' : '否')),
    90,
    108,
  ),
];

const TOWN_COLUMNS: Col[] = [
  { label: '序号', width: 22, align: 'center', get: (r, i) => (r.kind === 'county' ? '' : String(i + 1)) },
  { label: '乡镇', width: 64, get: (r) => r.name },
  rateCol('primaryDropout', '辍学率', '小学', 62),
  rateCol('juniorDropout', '辍学率', '初中', 62),
  rateCol('consolidation', undefined, RATE_LABELS.consolidation, 62),
  rateCol('primaryEnrolment', '入学率', '小学适龄儿童', 62),
  rateCol('juniorGrossEnrolment', '入学率', '初中毛入学率', 62),
  ...tail(
    count('本学年抽查', '黄牌\n学校', 32, (r) => r.yellowCards),
    84,
    98,
    32,
  ),
];

const PAD = 3;
const SIZE = 8;

export function assessmentPdf(m: AssessmentModel): Promise<Buffer> {
  const { doc, done } = cjkPdf({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: m.title } });
  const x0 = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const textHeight = (t: string, w: number, bold = false) =>
    doc
      .font(bold ? 'cjk-bold' : 'cjk')
      .fontSize(SIZE)
      .heightOfString(t || ' ', { width: w - 2 * PAD });
  let y = 0;

  const cell = (t: string, x: number, yy: number, w: number, h: number, o: { bold?: boolean; align?: Col['align']; red?: boolean; fill?: string } = {}) => {
    if (o.fill) doc.rect(x, yy, w, h).fill(o.fill);
    doc.rect(x, yy, w, h).lineWidth(0.5).stroke('#444');
    const th = textHeight(t, w, o.bold);
    doc
      .font(o.bold ? 'cjk-bold' : 'cjk')
      .fontSize(SIZE)
      .fillColor(o.red ? '#c00000' : 'black');
    doc.text(t, x + PAD, yy + Math.max(PAD, (h - th) / 2), { width: w - 2 * PAD, align: o.align ?? 'left' });
    doc.fillColor('black');
  };

  const header = (cols: Col[]) => {
    const top = 16;
    const sub = Math.max(16, ...cols.filter((c) => c.group).map((c) => textHeight(c.label, c.width, true) + 2 * PAD));
    const whole = Math.max(top + sub, ...cols.filter((c) => !c.group).map((c) => textHeight(c.label, c.width, true) + 2 * PAD));
    const subH = whole - top;
    let x = x0;
    cols.forEach((c, i) => {
      if (!c.group) cell(c.label, x, y, c.width, whole, { bold: true, align: 'center', fill: '#eeeeee' });
      else {
        if (cols[i - 1]?.group !== c.group) {
          let w = 0;
          for (let j = i; cols[j]?.group === c.group; j++) w += cols[j]!.width;
          cell(c.group, x, y, w, top, { bold: true, align: 'center', fill: '#eeeeee' });
        }
        cell(c.label, x, y + top, c.width, subH, { bold: true, align: 'center', fill: '#eeeeee' });
      }
      x += c.width;
    });
    y += whole;
  };

  const table = (heading: string, cols: Col[], rows: AssessmentRow[]) => {
    doc.font('cjk-bold').fontSize(12).text(heading, x0, y);
    y = doc.y + 4;
    header(cols);
    rows.forEach((r, i) => {
      const texts = cols.map((c) => c.get(r, i));
      const h = Math.max(18, ...texts.map((t, j) => textHeight(t, cols[j]!.width, r.kind === 'county') + 2 * PAD));
      if (y + h > bottom()) {
        doc.addPage({ size: 'A4', layout: 'landscape', margin: 36 });
        y = doc.page.margins.top;
        doc.font('cjk').fontSize(9).text(`${heading}（续）`, x0, y);
        y = doc.y + 4;
        header(cols);
      }
      let x = x0;
      cols.forEach((c, j) => {
        cell(texts[j]!, x, y, c.width, h, { align: c.align, red: c.red?.(r), bold: r.kind === 'county' });
        x += c.width;
      });
      y += h;
    });
  };

  doc
    .font('cjk-bold')
    .fontSize(16)
    .text(`《${m.title}》`, x0, doc.page.margins.top, { align: 'center', width: doc.page.width - 2 * x0 });
  doc
    .moveDown(0.2)
    .font('cjk')
    .fontSize(10)
    .text(`${m.yearLabel}　考核期间：${m.from} 至 ${m.asOf}　制表日期：${m.asOf}`, { align: 'center', width: doc.page.width - 2 * x0 });
  y = doc.y + 8;
  table(`一、学校（${m.schools.length} 所）`, SCHOOL_COLUMNS, m.schools);
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 36 });
  y = doc.page.margins.top;
  table(`二、乡镇（${m.towns.filter((t) => t.kind === 'town').length} 个）及全县`, TOWN_COLUMNS, m.towns);

  const width = doc.page.width - 2 * x0;
  doc.font('cjk').fontSize(8);
  const notes = m.notes.map((n, i) => `${i + 1}. ${n}`).join('\n');
  if (y + 12 + doc.heightOfString(notes, { width }) + 60 > bottom()) {
    doc.addPage({ size: 'A4', layout: 'landscape', margin: 36 });
    y = doc.page.margins.top - 12;
  }
  doc
    .font('cjk-bold')
    .fontSize(9)
    .text('说明：', x0, y + 12);
  doc
    .font('cjk')
    .fontSize(8)
    .text(notes, x0, doc.y + 2, { width });
  doc
    .font('cjk')
    .fontSize(11)
    .text(
      '填表人：__________　　审核人：__________　　县教育局分管领导（签字）：__________　　县教育局（盖章）　　日期：______年____月____日',
      x0,
      doc.y + 20,
      { width },
    );
  doc.end();
  return done;
}
