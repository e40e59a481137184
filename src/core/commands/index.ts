/** Every command the bot understands, in help order. */
import type { CommandDef } from '../registry.js';
import { absent, allPresent, correct, returned } from './attendance.js';
import { bindClass, whoami } from './binding.js';
import { count } from './count.js';
import { visit, confirmDropout, issueNotice, listCases, roster } from './cases.js';
import { status } from './status.js';
import { confirmReport, reportForm, reportProgress } from './monthly-report.js';
import { ack } from './alerts.js';
import { trend } from './trend.js';
import { helpFor } from './help.js';
import { transferOut, suspend, borrowing } from './register.js';
import { history } from './history.js';

const BASE: CommandDef[] = [absent, allPresent, correct, returned, count, visit, status, confirmReport, reportForm, reportProgress, trend, listCases, roster, confirmDropout, issueNotice, transferOut, suspend, borrowing, history, ack, bindClass, whoami];

export const COMMANDS: readonly CommandDef[] = [helpFor(BASE), ...BASE];
