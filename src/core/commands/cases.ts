/** Home visits and the dropout case: log a visit, confirm a dropout, issue the return notice, list cases. */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import type { Ctx } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { ROSTER_FORMAT_SET, VISIT_OUTCOME_SET, VISIT_REASON_SET } from '../../domain/labels.js';
import { applyToOpenCase, caseLabel, rebuild } from '../../services/cases.js';
import { addHomeVisit, openCaseOf } from '../../store/case.repository.js';
import {
  CASE_STATE_LABELS,
  HOME_VISIT_EXAMPLE_WORDS,
  HOME_VISIT_OUTCOME_LABELS,
  HOME_VISIT_OUTCOMES,
  HOME_VISIT_REASON_LABELS,
  HOME_VISIT_REASONS,
  type CaseEvent,
  type HomeVisit,
  type HomeVisitReason,
  type HomeVisitOutcome,
} from '../../domain/dropout-case.js';
import { attentionTag } from '../../domain/attention.js';
import { guarantorsOfMany } from '../../store/guarantor.repository.js';
import { areaOf } from '../../domain/org.js';
import { casesInArea } from '../../services/roster.js';
import { rosterFile } from '../../reports/roster-file.js';
import { dayLabel } from '../../services/format.js';
import { ledgerLabel } from '../../domain/transfer.js';
import { returnNoticeFile } from '../../services/return-notice.js';
import { sendToPerson } from '../../services/messenger.js';
import { dropoutConfirmed } from '../../services/student-status.js';

const VISIT_EXAMPLE = `家访 张三 ${HOME_VISIT_EXAMPLE_WORDS} 已与父亲谈话`;
const VISIT_OTHER_EXAMPLE = '家访 张三 其他:外出打工跟随父母 同意返校';
const REASON_CHOICES = `${HOME_VISIT_REASONS.filter((r) => r !== 'other')
  .map((r) => HOME_VISIT_REASON_LABELS[r])
  .join('、')}，或 其他:具体原因`;
const OUTCOME_CHOICES = `${HOME_VISIT_OUTCOMES.filter((o) => o !== 'other')
  .map((o) => HOME_VISIT_OUTCOME_LABELS[o])
  .join('、')}，或 其他:具体结果`;
/** Longest note kept with a visit (characters); the rest of a long message is not stored. */
const NOTE_MAX = 200;

/** The visit's note as stored: what 其他 meant, then the free note. */
function visitNote(reason: { value: HomeVisitReason; detail?: string }, outcome: { value: HomeVisitOutcome; detail?: string }, free: string): string {
  const parts = [
    reason.detail ? `${reason.value === 'other' ? '其他原因' : `原因补充`}：${reason.detail}` : '',
    outcome.detail ? `${outcome.value === 'other' ? '其他结果' : '结果补充'}：${outcome.detail}` : '',
    free,
  ];
  return parts.filter(Boolean).join('；');
}

const VISIT_MISSING = `请写学生姓名、原因、结果，可加备注。原因可选：${REASON_CHOICES}；结果可选：${OUTCOME_CHOICES}。`;
const VISIT_BOTH = `${VISIT_EXAMPLE}（或：${VISIT_OTHER_EXAMPLE}）`;
const VISIT_ARGS = [
  { name: 'student', kind: 'student', title: '学生姓名', missing: VISIT_MISSING, example: VISIT_BOTH },
  { name: 'reason', kind: 'label', set: VISIT_REASON_SET, title: '原因', missing: VISIT_MISSING, example: VISIT_BOTH },
  { name: 'outcome', kind: 'label', set: VISIT_OUTCOME_SET, title: '结果', missing: VISIT_MISSING, example: VISIT_BOTH },
  { name: 'note', kind: 'text', title: '备注', optional: true },
] as const satisfies readonly ArgSpec[];

export const visit: CommandDef = {
  id: 'visit',
  words: ['家访', '入户家访', 'visit'],
  roles: ['principal', 'class_teacher', 'subject_teacher', 'village', 'town'],
  where: 'dm',
  mutates: true,
  summary: { zh: '记录一次家访：原因和结果（不在选项里的写 其他:说明）', en: 'log a home visit: reason and outcome (other:<text> for anything else)' },
  example: VISIT_EXAMPLE,
  args: VISIT_ARGS,
  async run(ctx, args) {
    const { student: s, reason, outcome, note: free = '' } = await readArgs(ctx, VISIT_ARGS, args, VISIT_EXAMPLE);
    if (reason.value === 'other' && !reason.detail && !free) refuse('原因写“其他”时，请在冒号后写明是什么原因。', VISIT_OTHER_EXAMPLE);
    if (outcome.value === 'other' && !outcome.detail && !free) refuse('结果写“其他”时，请在冒号后写明是什么结果。', '家访 张三 厌学 其他:答应下周一返校');
    const note = visitNote(reason, outcome, free);
    if (note.length > NOTE_MAX) refuse(`说明和备注太长（${note.length} 字），请控制在 ${NOTE_MAX} 字以内。`, VISIT_OTHER_EXAMPLE);
    const row = await openCaseOf(ctx.tx, s.id);
    const ev: CaseEvent = {
      type: 'home_visit',
      at: ctx.today,
      by: String(ctx.person.id),
      visitorIds: [String(ctx.person.id)],
      reason: reason.value,
      outcome: outcome.value,
      ...(note ? { note } : {}),
    };
    const step = row ? await applyToOpenCase(ctx.deps, ctx.tx, s.id, ev, ctx.person.id) : undefined;
    if (step && !step.ok) refuse(`家访没有记录：${step.reason}`, VISIT_EXAMPLE);
    await addHomeVisit(ctx.tx, {
      studentId: s.id,
      caseId: row?.id ?? null,
      visitorId: ctx.person.id,
      date: ctx.today,
      reason: reason.value,
      outcome: outcome.value,
      ...(note ? { note } : {}),
      chatRef: ctx.chatRef,
      at: ctx.now,
    });
    await ctx.reply(
      `已记录家访：${s.name}（${s.class.name}）${attentionTag(s.attention)}，${dayLabel(ctx.today)}，原因：${HOME_VISIT_REASON_LABELS[reason.value]}，结果：${HOME_VISIT_OUTCOME_LABELS[outcome.value]}${note ? `，说明：${note}` : ''}${row ? `。个案 #${row.id} 已更新。` : '。'}`,
    );
  },
};

const CONFIRM_EXAMPLE = '确认辍学 张三';
const STUDENT_ONLY = [{ name: 'student', kind: 'student', title: '学生姓名' }] as const satisfies readonly ArgSpec[];

export const confirmDropout: CommandDef = {
  id: 'confirm_dropout',
  words: ['确认辍学', 'confirm_dropout'],
  roles: ['principal', 'town'],
  where: 'dm',
  mutates: true,
  summary: { zh: '把疑似辍学学生确认为辍学，列入辍学学生花名册', en: 'confirm a suspected dropout (onto the dropout roster)' },
  example: CONFIRM_EXAMPLE,
  args: STUDENT_ONLY,
  async run(ctx, args) {
    const { student: s } = await readArgs(ctx, STUDENT_ONLY, args, CONFIRM_EXAMPLE);
    const step = await applyToOpenCase(ctx.deps, ctx.tx, s.id, { type: 'confirm', at: ctx.today, by: String(ctx.person.id) }, ctx.person.id);
    if (!step) refuse(`${s.name} 没有进行中的个案（连续无故缺勤 ${ctx.deps.policy.suspectedDropoutAfterDays} 天会自动列入疑似辍学台账）。`, CONFIRM_EXAMPLE);
    if (!step.ok) refuse(step.reason, CONFIRM_EXAMPLE);
    await dropoutConfirmed(ctx.tx, s.id);
    await ctx.reply(`个案 #${step.caseId}：${s.name} 已确认辍学，列入辍学学生花名册（状态：${step.label}）。请继续家访劝返；劝返无效由镇政府发返校通知书。`);
  },
};

const NOTICE_EXAMPLE = '返校通知 张三 12-10';
const NOTICE_ARGS = [
  { name: 'student', kind: 'student', title: '学生姓名', missing: '请写学生姓名和返校期限。' },
  { name: 'deadline', kind: 'date', title: '返校期限', missing: '请写学生姓名和返校期限。' },
] as const satisfies readonly ArgSpec[];

export const issueNotice: CommandDef = {
  id: 'issue_notice',
  words: ['返校通知', '发返校通知', 'issue_notice'],
  roles: ['town'],
  where: 'dm',
  mutates: true,
  summary: { zh: '镇政府向监护人发《辍学学生返校通知书》，写明返校期限', en: 'issue the return-to-school notice with a deadline' },
  example: NOTICE_EXAMPLE,
  args: NOTICE_ARGS,
  async run(ctx, args) {
    const { student: s, deadline } = await readArgs(ctx, NOTICE_ARGS, args, NOTICE_EXAMPLE);
    const step = await applyToOpenCase(ctx.deps, ctx.tx, s.id, { type: 'issue_notice', at: ctx.today, by: String(ctx.person.id), deadline }, ctx.person.id);
    if (!step) refuse(`${s.name} 没有进行中的个案。`, NOTICE_EXAMPLE);
    if (!step.ok) refuse(step.reason, NOTICE_EXAMPLE);
    await ctx.reply(
      `个案 #${step.caseId}：已记录向 ${s.name} 的监护人${s.guardian ? `（${s.guardian}）` : ''}发出返校通知书，期限 ${deadline}。逾期未返校将报镇政府依法处理。`,
    );
    // The printable notice names the pupil: by direct message to the issuing official only, never into a group.
    const attachment = await returnNoticeFile(ctx.deps, ctx.tx, { caseId: step.caseId, student: s, issuer: ctx.person, deadline, today: ctx.today });
    await sendToPerson(
      ctx.tx,
      ctx.now,
      ctx.person.id,
      `《义务教育学生返校复学通知书》（${s.name}，期限 ${deadline}）见附件：请打印、盖章后送达监护人，并收回回执。文件含学生信息，请勿转发到群里。`,
      { attachment },
    );
  },
};

/** 11月20日 其他/同意返校（其他原因：外出打工跟随父母） */
function visitLabel(v: HomeVisit): string {
  return `${dayLabel(v.at)} ${HOME_VISIT_REASON_LABELS[v.reason]}/${HOME_VISIT_OUTCOME_LABELS[v.outcome]}${v.note ? `（${v.note}）` : ''}`;
}

async function casesInScope(ctx: Ctx, rosterOnly: boolean) {
  const area = areaOf(ctx.actor);
  if (!area) refuse('您的账号没有关联负责范围，请联系管理员。');
  return casesInArea(ctx.tx, area, rosterOnly);
}

export const listCases: CommandDef = {
  id: 'cases',
  words: ['个案', '疑似辍学', 'cases'],
  roles: ['county', 'town', 'village', 'principal', 'class_teacher'],
  where: 'dm',
  mutates: false,
  summary: { zh: '查看负责范围内进行中的个案（疑似辍学、辍学）', en: 'open cases in my area' },
  example: '个案',
  async run(ctx) {
    const list = await casesInScope(ctx, false);
    if (list.length === 0) return ctx.reply('您负责的范围内目前没有进行中的个案。');
    const named = await guarantorsOfMany(
      ctx.tx,
      list.map((x) => x.s.id),
    );
    const lines = list.map(({ row, s, c, transfer }) => {
      const who = named.get(s.id) ?? [];
      return (
        `#${row.id} ${s.name}${attentionTag(s.attention)}（${s.class.school.name} ${s.class.name}，${s.village.name}）${ledgerLabel(caseLabel(c.state, c.followUntil), transfer?.state)}，家访 ${c.visits.length} 次${c.noticeDeadline ? `，返校期限 ${c.noticeDeadline}` : ''}` +
        (c.visits.length ? `；最近家访：${visitLabel(c.visits.at(-1)!)}` : '') +
        (who.length ? `；包保：${who.map((p) => p.name).join('、')}` : '')
      );
    });
    await ctx.reply([`进行中的个案 ${list.length} 件：`, ...lines].join('\n'));
  },
};

const ROSTER_ARGS = [{ name: 'format', kind: 'label', set: ROSTER_FORMAT_SET, title: '格式', optional: true }] as const satisfies readonly ArgSpec[];

export const roster: CommandDef = {
  id: 'roster',
  words: ['辍学名单', '辍学花名册', '花名册', 'roster'],
  roles: ['county', 'town', 'village', 'principal'],
  where: 'dm',
  mutates: false,
  summary: { zh: '辍学学生花名册（负责范围内）；加“表格”发 Excel 文件，加“csv”发 CSV', en: 'dropout roster of my area (add xlsx or csv for a file)' },
  example: '辍学名单 表格',
  args: ROSTER_ARGS,
  async run(ctx, args) {
    const format = (await readArgs(ctx, ROSTER_ARGS, args, '辍学名单 表格（或：辍学名单 csv）')).format?.value ?? 'text';
    const list = await casesInScope(ctx, true);
    if (format !== 'text') {
      const area = areaOf(ctx.actor)!;
      const file = await rosterFile(ctx.tx, area, list, format, ctx.deps.config.REPORTS_DIR, ctx.today, ctx.now);
      return ctx.reply(`${file.title}（${list.length} 人），见附件。文件含学生信息，请勿转发到群里。`, { attachment: file.attachment });
    }
    if (list.length === 0) return ctx.reply('您负责的范围内辍学学生花名册为空。');
    const lines = list.map(
      ({ row, s, c }) =>
        `#${row.id} ${s.name} ${s.gender === 'F' ? '女' : '男'} 学籍号${s.studentNo} ${s.class.school.name} ${s.class.name} ${s.village.town.name}${s.village.name} 监护人${s.guardian ?? '—'} ${s.guardianPhone ?? ''} 状态：${CASE_STATE_LABELS[c.state]}`,
    );
    await ctx.reply([`辍学学生花名册（${list.length} 人）：`, ...lines].join('\n'));
  },
};
