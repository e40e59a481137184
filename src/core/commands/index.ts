/** Every command the bot understands, in help order. */
import type { CommandDef } from '../registry.js';
import { absent, absentList, allPresent, correct, returned } from './attendance.js';
import { bindClass, whoami } from './binding.js';
import { count, weekAllPresent } from './count.js';
import { visit, confirmDropout, issueNotice, listCases, roster } from './cases.js';
import { status } from './status.js';
import { targets } from './targets.js';
import { confirmReport, reportForm, reportProgress } from './monthly-report.js';
import { ack } from './alerts.js';
import { trend } from './trend.js';
import { helpFor } from './help.js';
import { transferOut, suspend, borrowing } from './register.js';
import { history } from './history.js';
import { approveTransferCmd, refuseTransferCmd, receive, receipt, transferList } from './transfers.js';
import { guarantee } from './guarantors.js';
import { inspectionDraw, inspectionReveal } from './inspection.js';
import { inspectionFinding, rectified } from './inspection-findings.js';
import { faults } from './faults.js';
import { assessment } from './assessment.js';

const BASE: CommandDef[] = [
  absent,
  absentList,
  allPresent,
  correct,
  returned,
  count,
  weekAllPresent,
  visit,
  status,
  targets,
  confirmReport,
  reportForm,
  reportProgress,
  trend,
  listCases,
  guarantee,
  roster,
  confirmDropout,
  issueNotice,
  transferOut,
  approveTransferCmd,
  refuseTransferCmd,
  receive,
  receipt,
  transferList,
  suspend,
  borrowing,
  history,
  inspectionDraw,
  inspectionReveal,
  inspectionFinding,
  rectified,
  faults,
  assessment,
  ack,
  bindClass,
  whoami,
];

export const COMMANDS: readonly CommandDef[] = [helpFor(BASE), ...BASE];
