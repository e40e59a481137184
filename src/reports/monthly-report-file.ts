/** A school's monthly report, or a town's aggregate, as .xlsx or .pdf under REPORTS_DIR (they name students: DM only). */
import type { Attachment } from '../core/chat-port.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import { monthlyCountyModel, monthlyReportModel, monthlyTownModel } from './monthly-model.js';
import { monthlyReportXlsx } from './monthly-report.xlsx.js';
import { monthlyReportPdf } from './monthly-report.pdf.js';
import { formExtras, type MonthlyForm } from './monthly-form.js';
import { MIME, saveReport } from './files.js';

export type ReportUnit = { kind: 'school'; schoolId: number } | { kind: 'town'; townId: number } | { kind: 'county' };

/** The form's figures and what the printed form adds (filler, targets, weekly counts). */
export async function monthlyForm(deps: Deps, tx: Tx, unit: ReportUnit, month: string, today: string): Promise<MonthlyForm> {
  const model =
    unit.kind === 'school'
      ? await monthlyReportModel(deps, tx, unit.schoolId, month, today)
      : unit.kind === 'town'
        ? await monthlyTownModel(deps, tx, unit.townId, month, today)
        : await monthlyCountyModel(deps, tx, month, today);
  return { ...model, form: await formExtras(deps, tx, unit, model) };
}

export async function monthlyReportFiles(
  deps: Deps,
  tx: Tx,
  unit: ReportUnit,
  month: string,
  today: string,
  formats: readonly ('xlsx' | 'pdf')[],
): Promise<{ model: MonthlyForm; attachments: Attachment[] }> {
  const model = await monthlyForm(deps, tx, unit, month, today);
  const stamp = String(deps.clock.now().getTime());
  const base = `${model.title.replace(/控辍保学月报表/, `-${month}控辍保学月报表`)}`;
  const attachments: Attachment[] = [];
  for (const f of formats) {
    const bytes = f === 'xlsx' ? await monthlyReportXlsx(model) : await monthlyReportPdf(model);
    attachments.push(saveReport(deps.config.REPORTS_DIR, stamp, `${base}.${f}`, bytes, MIME[f]));
  }
  return { model, attachments };
}
