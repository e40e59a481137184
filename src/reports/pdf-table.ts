/**
 * Ruled tables for printed forms (pdfkit): a two-row header of group headings over sub-headings, text wrapped inside
 * its cell (never cut), figures shrunk to fit their cell on one line, the header repeated on every page the table
 * runs onto; and the page footer (report month, page n of m). Fonts 'cjk' and 'cjk-bold' must be registered.
 */
import type PDFKit from 'pdfkit';

export interface PdfColumn {
  /** Relative width: the columns share the table's width in these proportions. */
  weight: number;
  align?: 'left' | 'center' | 'right';
  /** Figures: kept on one line, the font shrunk to fit the cell. */
  oneLine?: boolean;
}

/** A heading over `subs.length` columns, or (no subs) one heading over both header rows of one column. */
export interface PdfHeaderGroup {
  title: string;
  subs?: string[];
}

export interface PdfRow {
  cells: string[];
  bold?: boolean;
  /** Column indexes printed in red. */
  red?: number[];
  fill?: string;
}

export interface PdfTable {
  columns: PdfColumn[];
  header: PdfHeaderGroup[];
  rows: PdfRow[];
  /** Body font size (default 9). */
  size?: number;
}

const PAD = 3;
const MIN_SIZE = 5.5;
const LINE = '#444';

type Doc = PDFKit.PDFDocument;

function widthsOf(doc: Doc, cols: PdfColumn[]): number[] {
  const total = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const sum = cols.reduce((n, c) => n + c.weight, 0);
  return cols.map((c) => (total * c.weight) / sum);
}

/** The largest size ≤ `max` at which every explicit line of every label fits its width unbroken (at least MIN_SIZE). */
function fitSize(doc: Doc, labels: { text: string; width: number }[], max: number, font: string): number {
  doc.font(font);
  let size = max;
  for (const { text, width } of labels) {
    for (const line of text.split('\n')) {
      const w = doc.fontSize(1).widthOfString(line);
      if (w > 0) size = Math.min(size, (width - 2 * PAD) / w);
    }
  }
  return Math.max(MIN_SIZE, Math.floor(size * 4) / 4);
}

/** Explicit line breaks are laid out line by line (pdfkit measures a line feed inside a line as a wide glyph). */
function textHeight(doc: Doc, text: string, width: number, font: string, size: number): number {
  doc.font(font).fontSize(size);
  return text.split('\n').reduce((h, line) => h + doc.heightOfString(line || ' ', { width: width - 2 * PAD }), 0);
}

/** One cell's text, vertically centred in its box; wrapped, never cut. */
function cellText(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  w: number,
  h: number,
  o: { font: string; size: number; align: 'left' | 'center' | 'right'; color?: string },
): void {
  const th = textHeight(doc, text, w, o.font, o.size);
  let top = y + Math.max(PAD, (h - th) / 2);
  for (const line of text.split('\n')) {
    doc
      .fillColor(o.color ?? 'black')
      .font(o.font)
      .fontSize(o.size);
    doc.text(line, x + PAD, top, { width: w - 2 * PAD, align: o.align, lineGap: 0 });
    top += doc.heightOfString(line || ' ', { width: w - 2 * PAD });
  }
  doc.fillColor('black');
}

function bottomOf(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Draws the table at doc.y (from the left margin), across the page width; moves doc.y below it. */
export function drawTable(doc: Doc, t: PdfTable): void {
  const widths = widthsOf(doc, t.columns);
  const x0 = doc.page.margins.left;
  const xs = widths.map((_, i) => x0 + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const size = t.size ?? 9;
  // header cells: [column from, span, text, row (0 group/1 sub/both)]
  const cells: { from: number; span: number; text: string; row: 0 | 1 | 2 }[] = [];
  let col = 0;
  for (const g of t.header) {
    if (g.subs?.length) {
      cells.push({ from: col, span: g.subs.length, text: g.title, row: 0 });
      g.subs.forEach((s, i) => cells.push({ from: col + i, span: 1, text: s, row: 1 }));
      col += g.subs.length;
    } else {
      cells.push({ from: col, span: 1, text: g.title, row: 2 });
      col += 1;
    }
  }
  const spanWidth = (from: number, span: number) => widths.slice(from, from + span).reduce((a, b) => a + b, 0);
  const two = cells.some((c) => c.row !== 2);
  const headSize = fitSize(
    doc,
    cells.map((c) => ({ text: c.text, width: spanWidth(c.from, c.span) })),
    size,
    'cjk-bold',
  );
  const h0 = Math.max(...cells.filter((c) => c.row === 0).map((c) => textHeight(doc, c.text, spanWidth(c.from, c.span), 'cjk-bold', headSize)), 0) + 2 * PAD;
  const h1 =
    Math.max(
      ...cells.filter((c) => c.row !== 0).map((c) => textHeight(doc, c.text, spanWidth(c.from, c.span), 'cjk-bold', headSize) - (c.row === 2 && two ? h0 : 0)),
      0,
    ) +
    2 * PAD;
  const headHeight = two ? h0 + h1 : h1;

  const drawHeader = (y: number): number => {
    doc.save().rect(x0, y, spanWidth(0, widths.length), headHeight).fill('#eeeeee').restore();
    for (const c of cells) {
      const x = xs[c.from]!;
      const w = spanWidth(c.from, c.span);
      const top = c.row === 1 ? y + h0 : y;
      const h = c.row === 0 ? h0 : c.row === 1 ? h1 : headHeight;
      doc.lineWidth(0.6).rect(x, top, w, h).stroke(LINE);
      cellText(doc, c.text, x, top, w, h, { font: 'cjk-bold', size: headSize, align: 'center' });
    }
    return y + headHeight;
  };

  let y = doc.y;
  if (y + headHeight + 20 > bottomOf(doc)) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  y = drawHeader(y);
  for (const r of t.rows) {
    const font = r.bold ? 'cjk-bold' : 'cjk';
    const sizes = r.cells.map((v, i) => (t.columns[i]?.oneLine ? fitSize(doc, [{ text: v, width: widths[i]! }], size, font) : size));
    const h = Math.max(...r.cells.map((v, i) => textHeight(doc, v, widths[i]!, font, sizes[i]!))) + 2 * PAD;
    if (y + h > bottomOf(doc)) {
      doc.addPage();
      y = drawHeader(doc.page.margins.top);
    }
    if (r.fill) doc.save().rect(x0, y, spanWidth(0, widths.length), h).fill(r.fill).restore();
    r.cells.forEach((v, i) => {
      doc.lineWidth(0.6).rect(xs[i]!, y, widths[i]!, h).stroke(LINE);
      cellText(doc, v, xs[i]!, y, widths[i]!, h, {
        font,
        size: sizes[i]!,
        align: t.columns[i]?.align ?? 'left',
        ...(r.red?.includes(i) ? { color: '#c00000' } : {}),
      });
    });
    y += h;
  }
  doc.x = x0;
  doc.y = y;
}

/** A section heading, starting a new page when there is no room for it and a few rows. */
export function sectionTitle(doc: Doc, title: string, note?: string): void {
  const need = 90;
  if (doc.y + need > bottomOf(doc)) doc.addPage();
  else doc.moveDown(0.8);
  doc.x = doc.page.margins.left;
  doc.font('cjk-bold').fontSize(13).text(title, { align: 'left' });
  if (note) doc.font('cjk').fontSize(9).text(note);
  doc.moveDown(0.3);
}

/** Writes "<label>　第 n 页 共 m 页" at the foot of every buffered page (the document needs bufferPages: true). */
export function pageFooters(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('cjk').fontSize(8).fillColor('#333');
    doc.text(`${label}　第 ${i - range.start + 1} 页 共 ${range.count} 页`, doc.page.margins.left, doc.page.height - bottom + 8, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}
