/** The school's monthly report as an .xlsx or .pdf file under REPORTS_DIR, ready to attach (it names students: DM only). */
import type { Attachment } from '../../adapters/types.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import { monthlyReportModel, type MonthlyReportModel } from './monthly-model.js';
import { monthlyReportXlsx } from './monthly-report.xlsx.js';
import { monthlyReportPdf } from './monthly-report.pdf.js';
import { MIME, saveReport } from './files.js';

export async function monthlyReportFiles(deps: Deps, tx: Tx, schoolId: number, month: string, today: string, formats: readonly ('xlsx' | 'pdf')[]): Promise<{ model: MonthlyReportModel; attachments: Attachment[] }> {
  const model = await monthlyReportModel(deps, tx, schoolId, month, today);
  const stamp = String(deps.clock.now().getTime());
  const attachments: Attachment[] = [];
  for (const f of formats) {
    const bytes = f === 'xlsx' ? await monthlyReportXlsx(model) : await monthlyReportPdf(model);
    attachments.push(saveReport(deps.config.REPORTS_DIR, stamp, `${model.schoolName}-${month}控辍保学月报表.${f}`, bytes, MIME[f]));
  }
  return { model, attachments };
}
