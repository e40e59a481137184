/**
 * The weekly class count (班级每周一统计): read a reply, check it against the roll and the week's daily marks, then
 * record it, refuse it, or ask about it. A question is answered with 「确认 原因」 (recorded with the reason) or with a
 * corrected count (which is checked afresh). Group replies carry class-level numbers only; names go by DM.
 */
import type { Ctx } from './context.js';
import { EXAMPLE, readWeeklyCount } from '../domain/weekly-count-reader.js';
import { checkAgainstRegister } from '../domain/weekly-count-checks.js';
import { addDays, isoWeek, weekday } from '../domain/calendar.js';
import type { CountFigures } from '../domain/types.js';
import * as counts from '../store/weekly-count.repository.js';
import { classById } from '../store/org.repository.js';

const LABELS: [keyof CountFigures, string][] = [
  ['enrolled', '应到'],
  ['present', '实到'],
  ['leave', '请假'],
  ['truant', '旷课'],
  ['dropout', '辍学'],
  ['returned', '复学'],
];

/** `确认 原因` / `确认：原因`: the answer to a question about a count. */
const CONFIRM_WITH_REASON = /^确认(?:\s*[:：,，]\s*|\s+)(\S[\s\S]*)$/;
const REASON_EXAMPLE = '确认 1名学生已转出，名册还没改';
const QUESTION_HOURS = 24;

interface Question {
  classId: number;
  figures: CountFigures;
  text: string;
  /** Asked because the count differs from the roll or the marks: a bare 确认 is not enough. */
  needsReason: boolean;
}

export function describeFigures(f: CountFigures): string {
  return LABELS.filter(([k]) => f[k] !== undefined)
    .map(([k, l]) => (k === 'leave' && f.sick !== undefined ? `${l}${f[k]}（病假${f.sick} 事假${f.personal ?? 0}）` : `${l}${f[k]}`))
    .join(' ');
}

/** Handles text that may be a count. Returns false when it is not a count (chatter: no answer, no nagging). */
export async function handleCountText(ctx: Ctx, classId: number, text: string): Promise<boolean> {
  const reason = CONFIRM_WITH_REASON.exec(text.trim());
  if (reason) return confirmPending(ctx, reason[1]!.trim());
  const reading = readWeeklyCount(text);
  if (reading.outcome === 'not-a-count') return false;
  if (reading.outcome === 'invalid') {
    await ctx.reply(`这条周统计没有记录：${reading.reason ?? ''}`);
    return true;
  }
  if (reading.outcome === 'approximate') {
    await ctx.reply(`这条周统计没有记录：${reading.reason ?? ''}`);
    return true;
  }
  const monday = addDays(ctx.today, 1 - weekday(ctx.today));
  const { enrolled: roll, marked } = await counts.rollAndAbsences(ctx.tx, classId, monday, ctx.today);
  let figures = reading.figures;
  if (reading.outcome === 'all-present') {
    if (roll === 0) {
      await ctx.reply(`这条周统计没有记录：学籍名册上本班还没有学生，无法按“全勤”记录。请写上人数，如：应到45 实到45`);
      return true;
    }
    figures = { enrolled: roll, present: roll };
  }
  const check = checkAgainstRegister(figures, roll, marked);
  const example = roll > 1 ? `应到${roll} 实到${roll - 1} 病假1` : EXAMPLE;
  if (check.refusal) {
    await ctx.reply(`这条周统计没有记录：${check.refusal}请这样回复：${example}`);
    return true;
  }
  if (reading.outcome === 'inconsistent' && check.questions.length === 0) {
    await ask(ctx, { classId, figures, text, needsReason: false }, `这条周统计还没有记录。${reading.reason ?? ''}`);
    return true;
  }
  if (check.questions.length > 0) {
    const questions = reading.outcome === 'inconsistent' ? [firstSentence(reading.reason ?? ''), ...check.questions] : check.questions;
    const lines = [`这条周统计（${describeFigures(figures)}）还没有记录，请核对：`, ...questions.map((q) => `· ${q}`)];
    if (check.detail.length > 0) lines.push('涉及的学生名单已私信发给您。');
    lines.push(`数字没错请回复「确认 原因」，如：${REASON_EXAMPLE}；数字有误请直接重新发送，如：${example}`);
    await ask(ctx, { classId, figures, text, needsReason: true }, lines.join('\n'));
    if (check.detail.length > 0) {
      await ctx.replyPrivately(
        [`关于您刚才报的本周统计（${describeFigures(figures)}）：`, ...check.detail, `核对后请回复「确认 原因」或重新发送统计。`].join('\n'),
      );
    }
    return true;
  }
  await recordCount(ctx, classId, figures, text);
  return true;
}

function firstSentence(s: string): string {
  const i = s.indexOf('。');
  return i < 0 ? s : s.slice(0, i + 1);
}

async function ask(ctx: Ctx, q: Question, text: string): Promise<void> {
  await counts.closeCountQuestions(ctx.tx, ctx.person.id, ctx.now, 'replaced');
  await counts.addPending(ctx.tx, {
    personId: ctx.person.id,
    chatRef: ctx.chatRef,
    kind: 'weekly_count',
    payload: q,
    at: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + QUESTION_HOURS * 3600_000),
  });
  await ctx.reply(text);
}

export async function recordCount(ctx: Ctx, classId: number, figures: CountFigures, text: string, note?: string): Promise<void> {
  const week = isoWeek(ctx.today);
  const cls = await classById(ctx.tx, classId);
  // A count sent (or confirmed) answers any question still open about an earlier one.
  await counts.closeCountQuestions(ctx.tx, ctx.person.id, ctx.now, 'replaced');
  const { previous } = await counts.addCount(ctx.tx, {
    classId,
    week,
    figures,
    rawText: text,
    reportedById: ctx.person.id,
    chatRef: ctx.chatRef,
    at: ctx.now,
    ...(note !== undefined ? { note } : {}),
  });
  const lines = [`已记录 ${cls?.name ?? ''} ${week} 周统计：${describeFigures(figures)}`];
  // The reason may name a pupil: it is kept with the count, not repeated in the chat.
  if (note !== undefined) lines.push('（已按您的说明确认，说明已随统计保存）');
  if (previous) lines.push(`（已更正，原记录保留：${describeFigures(rowFigures(previous))}）`);
  await ctx.reply(lines.join('\n'));
}

type Row = Record<'enrolled' | 'present' | 'leave' | 'sick' | 'personal' | 'truant' | 'dropout' | 'returned', number | null>;

function rowFigures(r: Row): CountFigures {
  const f: CountFigures = {};
  for (const k of ['enrolled', 'present', 'leave', 'sick', 'personal', 'truant', 'dropout', 'returned'] as const) {
    const v = r[k];
    if (v !== null) f[k] = v;
  }
  return f;
}

/** An answer to an open question about a count (bare 确认, or 确认 with a reason). Returns false when none is open. */
export async function confirmPending(ctx: Ctx, reason?: string): Promise<boolean> {
  const p = await counts.openCountQuestion(ctx.tx, ctx.person.id, ctx.chatRef, ctx.now);
  if (!p) return false;
  const q = JSON.parse(p.payload) as Question;
  if (q.needsReason && !reason) {
    await ctx.reply(`这条统计和名册或本周考勤对不上，确认时请写上原因，如：${REASON_EXAMPLE}`);
    return true;
  }
  await counts.resolvePending(ctx.tx, p.id, ctx.now, 'confirmed');
  await recordCount(ctx, q.classId, q.figures, q.text, reason);
  return true;
}
