/** Generated report files live under REPORTS_DIR (they name minors: keep that folder private). */
import fs from 'node:fs';
import path from 'node:path';
import type { Attachment } from '../core/chat-port.js';

export const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  pdf: 'application/pdf',
} as const;

/** Writes a report file and returns it as an attachment. The name is kept; a unique folder avoids clashes. */
export function saveReport(dir: string, stamp: string, filename: string, bytes: Buffer | string, mimeType: string): Attachment {
  const folder = path.resolve(dir, stamp);
  fs.mkdirSync(folder, { recursive: true });
  const p = path.join(folder, filename);
  fs.writeFileSync(p, bytes);
  return { path: p, filename, mimeType };
}
