/** The annual assessment as .xlsx and/or PDF under REPORTS_DIR (no pupil names; still sent by direct message only). */
import type { Attachment } from '../core/chat-port.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import type { DateStr } from '../domain/types.js';
import { assessmentModel } from '../services/assessment.js';
import type { AssessmentModel } from './assessment-model.js';
import { assessmentXlsx } from './assessment.xlsx.js';
import { assessmentPdf } from './assessment.pdf.js';
import { MIME, saveReport } from './files.js';

export async function assessmentFiles(
  deps: Deps,
  tx: Tx,
  year: number,
  today: DateStr,
  formats: readonly ('xlsx' | 'pdf')[],
): Promise<{ model: AssessmentModel; attachments: Attachment[] }> {
  const model = await assessmentModel(deps, tx, year, today);
  const stamp = String(deps.clock.now().getTime());
  const attachments: Attachment[] = [];
  for (const f of formats) {
    const bytes = f === 'xlsx' ? await assessmentXlsx(model) : await assessmentPdf(model);
    attachments.push(saveReport(deps.config.REPORTS_DIR, stamp, `${model.title}.${f}`, bytes, MIME[f]));
  }
  return { model, attachments };
}

/** One line for the CLI or chat: how many units, how many vetoed or carded. */
export function assessmentSummary(m: AssessmentModel): string {
  const veto = (rows: typeof m.schools) => rows.filter((r) => r.breaches.some((b) => b.veto)).length;
  const towns = m.towns.filter((t) => t.kind === 'town');
  return `${m.title}（${m.yearLabel}，截至 ${m.asOf}）：学校 ${m.schools.length} 所，其中一票否决 ${veto(m.schools)} 所、黄牌 ${m.schools.filter((s) => s.yellowCards > 0).length} 所；乡镇 ${towns.length} 个，其中一票否决 ${veto(towns)} 个。`;
}
