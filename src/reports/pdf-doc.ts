/** A pdfkit document with the CJK fonts registered ('cjk', 'cjk-bold') and its bytes collected when it ends. */
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';
import { cjkFontPath } from './fonts.js';

// pdfkit and its font engine (~25 MB) are loaded by the first document, not at start.
const require = createRequire(import.meta.url);
let pdfkit: typeof PDFDocumentClass | undefined;

export function cjkPdf(options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  pdfkit ??= require('pdfkit') as typeof PDFDocumentClass;
  const doc = new pdfkit(options);
  doc.registerFont('cjk', cjkFontPath(400));
  doc.registerFont('cjk-bold', cjkFontPath(700));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  return { doc, done };
}
