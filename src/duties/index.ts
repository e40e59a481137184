/** Every duty the bot does by itself, in the order a tick runs them. */
import type { Duty } from './types.js';
import { returnCheck } from './return-check.duty.js';
import { weeklyPrompt, weeklyReminder, weeklyCutoff } from './weekly-count.duty.js';
import { attendanceReminder, followUpEnd, returnCases, twoDayCheck } from './daily.duty.js';
import { alertEscalation, alertReminder } from './alert-escalation.duty.js';
import { schoolReportOverdue, schoolReportReminder, townReportOverdue, townReportReminder } from './monthly-report.duty.js';
import { campaignDigest } from './campaign.duty.js';
import { noticeDeadline } from './notice-deadline.duty.js';
import { leaverHandover } from './handover.duty.js';

export const ALL_DUTIES: readonly Duty[] = [
  returnCheck,
  weeklyPrompt,
  weeklyReminder,
  weeklyCutoff,
  twoDayCheck,
  returnCases,
  attendanceReminder,
  followUpEnd,
  noticeDeadline,
  leaverHandover,
  alertReminder,
  alertEscalation,
  schoolReportReminder,
  schoolReportOverdue,
  townReportReminder,
  townReportOverdue,
  campaignDigest,
];
