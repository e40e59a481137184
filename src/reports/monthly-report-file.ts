/** The school's monthly report as an .xlsx file under REPORTS_DIR, ready to attach (it names students: DM only). */
import type { Attachment } from '../../adapters/types.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import { monthlyReportModel, type MonthlyReportModel } from './monthly-model.js';
import { monthlyReportXlsx } from './monthly-report.xlsx.js';
import { MIME, saveReport } from './files.js';

export async function monthlyReportFile(deps: Deps, tx: Tx, schoolId: number, month: string, today: string): Promise<{ model: MonthlyReportModel; attachment: Attachment }> {
  const model = await monthlyReportModel(deps, tx, schoolId, month, today);
  const bytes = await monthlyReportXlsx(model);
  const filename = `${model.schoolName}-${month}控辍保学月报表.xlsx`;
  return { model, attachment: saveReport(deps.config.REPORTS_DIR, String(deps.clock.now().getTime()), filename, bytes, MIME.xlsx) };
}
