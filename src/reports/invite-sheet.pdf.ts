/**
 * Invite sheets for printing: A4, one section per school (town, county) starting on a new page, each person's name
 * (wrapped, never cut), role, one-time code, expiry and — when Telegram is configured — a QR code of the bot's deep
 * link, drawn as vector squares so it prints sharp. Chinese in Noto Sans SC embedded from the npm package.
 */
import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';
import type QRCodeLib from 'qrcode';
import { cjkPdf } from './pdf-doc.js';
import { bindText, type InviteEntry, type InviteSection, type InviteSheets } from './invite-sheet-model.js';

const MARGIN = 36;
const QR_SIZE = 62;
const PAD = 4;

type Doc = InstanceType<typeof PDFDocument>;

// The QR encoder is loaded by the first sheet, not at start.
const require = createRequire(import.meta.url);
let QRCode: typeof QRCodeLib | undefined;

/** Draws a QR code of `text` as filled squares (runs of dark modules merged per row). */
function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  QRCode ??= require('qrcode') as typeof QRCodeLib;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const unit = size / (modules.size + 2 * quiet);
  for (let r = 0; r < modules.size; r++) {
    let c = 0;
    while (c < modules.size) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < modules.size && modules.get(r, c)) c++;
      doc.rect(x + (start + quiet) * unit, y + (r + quiet) * unit, (c - start) * unit, unit + 0.05);
    }
  }
  doc.fill('black');
}

interface Column {
  header: string;
  width: number;
  value(e: InviteEntry, i: number, s: InviteSheets): string;
  bold?: boolean;
  size?: number;
}

function columns(withQr: boolean): Column[] {
  const w = withQr ? [30, 88, 58, 102, 92, 83] : [30, 116, 72, 132, 92, 81];
  return [
    { header: '序号', width: w[0]!, value: (_e, i) => String(i + 1) },
    { header: '姓名', width: w[1]!, value: (e) => e.name, bold: true, size: 11 },
    { header: '工号', width: w[2]!, value: (e) => e.staffId },
    { header: '角色', width: w[3]!, value: (e) => e.role },
    { header: '邀请码', width: w[4]!, value: (e) => e.code, bold: true, size: 13 },
    { header: '有效期至', width: w[5]!, value: (_e, _i, s) => s.expiresShort.replace(' ', '\n') },
  ];
}

function cellHeight(doc: Doc, c: Column, text: string): number {
  doc.font(c.bold ? 'cjk-bold' : 'cjk').fontSize(c.size ?? 9);
  return doc.heightOfString(text, { width: c.width - 2 * PAD });
}

function sectionHeader(doc: Doc, s: InviteSheets, sec: InviteSection, continued: boolean): void {
  const width = doc.page.width - 2 * MARGIN;
  doc
    .font('cjk-bold')
    .fontSize(15)
    .fillColor('black')
    .text(`${sec.title}${continued ? '（续）' : ''} 控辍保学助手账号绑定邀请码`, MARGIN, MARGIN, { width, align: 'center' });
  doc
    .moveDown(0.3)
    .font('cjk')
    .fontSize(9)
    .text(`${sec.place}　共 ${sec.entries.length} 人　生成于 ${s.generatedAt}　有效期至 ${s.expiresAt}（当地时间）`, { width, align: 'center' });
  if (continued) return void doc.moveDown(0.6);
  const scan = s.botUsername ? `；用 Telegram 的也可以用手机扫描本人一行的二维码，打开 @${s.botUsername} 后点“开始”（Start）即完成绑定` : '';
  doc
    .moveDown(0.5)
    .fontSize(9)
    .text(
      `使用方法：每人一个邀请码，只能用一次。请本人用自己的账号私信机器人，发送「${bindText('邀请码')}」（如：${bindText('K7M2QX9P')}）${scan}。过期或丢失请向县教育局管理员重新索取，重新生成后旧码作废。邀请码等同密码：请沿虚线裁开逐人分发，不要发到群里。`,
      { width },
    )
    .moveDown(0.6);
}

/** The PDF bytes. */
export function inviteSheetPdf(s: InviteSheets): Promise<Buffer> {
  const { doc, done } = cjkPdf({ size: 'A4', margin: MARGIN, autoFirstPage: false, info: { Title: `账号绑定邀请码 ${s.scopeName}` } });
  const withQr = s.botUsername !== undefined;
  const cols = columns(withQr);
  const tableWidth = cols.reduce((a, c) => a + c.width, 0) + (withQr ? QR_SIZE + 2 * PAD : 0);
  const bottom = () => doc.page.height - MARGIN;
  let y = 0;
  const headerRow = () => {
    let x = MARGIN;
    const headers = [...cols.map((c) => c.header), ...(withQr ? ['二维码'] : [])];
    const widths = [...cols.map((c) => c.width), ...(withQr ? [QR_SIZE + 2 * PAD] : [])];
    headers.forEach((h, i) => {
      doc.rect(x, y, widths[i]!, 18).fillAndStroke('#eeeeee', '#666666');
      doc
        .fillColor('black')
        .font('cjk-bold')
        .fontSize(9)
        .text(h, x + PAD, y + 4, { width: widths[i]! - 2 * PAD, lineBreak: false });
      x += widths[i]!;
    });
    y += 18;
  };
  const newPage = (sec: InviteSection, continued: boolean) => {
    doc.addPage({ size: 'A4', margin: MARGIN });
    sectionHeader(doc, s, sec, continued);
    y = doc.y;
    headerRow();
  };
  for (const sec of s.sections) {
    newPage(sec, false);
    sec.entries.forEach((e, i) => {
      const texts = cols.map((c) => c.value(e, i, s));
      const h = Math.max(22, withQr ? QR_SIZE + 2 * PAD : 0, ...cols.map((c, k) => cellHeight(doc, c, texts[k]!) + 2 * PAD));
      if (y + h > bottom()) newPage(sec, true);
      let x = MARGIN;
      cols.forEach((c, k) => {
        doc
          .font(c.bold ? 'cjk-bold' : 'cjk')
          .fontSize(c.size ?? 9)
          .fillColor('black');
        doc.text(texts[k]!, x + PAD, y + PAD, { width: c.width - 2 * PAD });
        x += c.width;
      });
      if (e.link) drawQr(doc, e.link, x + PAD, y + PAD, QR_SIZE);
      doc
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + tableWidth, y + h)
        .dash(3, { space: 3 })
        .strokeColor('#888888')
        .stroke()
        .undash();
      y += h;
    });
  }
  if (s.sections.length === 0) {
    doc.addPage({ size: 'A4', margin: MARGIN });
    doc.font('cjk').fontSize(12).text(`${s.scopeName}：所有人员都已经绑定了账号，不需要邀请码。`);
  }
  doc.end();
  return done;
}
