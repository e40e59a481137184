import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Attachment } from '../../src/core/chat-port.js';

/** A small file on disk to attach: a PNG signature and some bytes, or a "report". */
export function tempAttachment(kind: 'png' | 'xlsx'): Attachment {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-att-'));
  const filename = kind === 'png' ? '趋势.png' : '2026-11月报.xlsx';
  const p = path.join(dir, filename);
  fs.writeFileSync(p, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(120, 7)]));
  return { path: p, filename, mimeType: kind === 'png' ? 'image/png' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
}
