/** The roster of an area as a file under REPORTS_DIR, ready to attach. */
import type { Attachment } from '../core/chat-port.js';
import type { Area } from '../domain/org.js';
import type { Tx } from '../store/prisma.js';
import type { CaseInArea } from '../services/roster.js';
import { areaName } from '../store/org.repository.js';
import { dayLabel } from '../services/format.js';
import { rosterCsv, rosterXlsx } from './roster.js';
import { MIME, saveReport } from './files.js';

export async function rosterFile(
  tx: Tx,
  area: Area,
  list: CaseInArea[],
  format: 'xlsx' | 'csv',
  dir: string,
  today: string,
  now: Date,
): Promise<{ title: string; attachment: Attachment }> {
  const name = await areaName(tx, area);
  const title = `${name}辍学学生花名册`;
  const filename = `${title}-${today}.${format}`;
  const bytes = format === 'xlsx' ? await rosterXlsx(title, `截至${today.slice(0, 4)}年${dayLabel(today)}，共 ${list.length} 人`, list) : rosterCsv(list);
  return { title, attachment: saveReport(dir, `${now.getTime()}`, filename, bytes, MIME[format]) };
}
