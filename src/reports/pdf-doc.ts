/** A pdfkit document with the CJK fonts registered ('cjk', 'cjk-bold') and its bytes collected when it ends. */
import PDFDocument from 'pdfkit';
import { cjkFontPath } from './fonts.js';

export function cjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument(options);
  doc.registerFont('cjk', cjkFontPath(400));
  doc.registerFont('cjk-bold', cjkFontPath(700));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}
