/** The weekly class count (班级每周一统计): read a reply, check it, record it or ask to confirm. */
import type { Ctx } from './context.js';
import { readWeeklyCount } from '../domain/weekly-count-reader.js';
import { isoWeek } from '../domain/calendar.js';
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

export function describeFigures(f: CountFigures): string {
  return LABELS.filter(([k]) => f[k] !== undefined).map(([k, l]) => `${l}${f[k]}`).join(' ');
}

/** Handles text that may be a count. Returns false when it is not a count (chatter: no answer, no nagging). */
export async function handleCountText(ctx: Ctx, classId: number, text: string): Promise<boolean> {
  const reading = readWeeklyCount(text);
  if (reading.outcome === 'not-a-count') return false;
  if (reading.outcome === 'invalid') {
    await ctx.reply(`这条周统计没有记录：${reading.reason ?? ''}`);
    return true;
  }
  if (reading.outcome === 'inconsistent') {
    await counts.addPending(ctx.tx, {
      personId: ctx.person.id,
      chatRef: ctx.chatRef,
      kind: 'weekly_count',
      payload: { classId, figures: reading.figures, text },
      at: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + 24 * 3600_000),
    });
    await ctx.reply(`这条周统计还没有记录。${reading.reason ?? ''}`);
    return true;
  }
  await recordCount(ctx, classId, reading.figures, text);
  return true;
}

export async function recordCount(ctx: Ctx, classId: number, figures: CountFigures, text: string): Promise<void> {
  const week = isoWeek(ctx.today);
  const cls = await classById(ctx.tx, classId);
  const { previous } = await counts.addCount(ctx.tx, { classId, week, figures, rawText: text, reportedById: ctx.person.id, chatRef: ctx.chatRef, at: ctx.now });
  const onRoll = await counts.enrolledInClass(ctx.tx, classId);
  const lines = [`已记录 ${cls?.name ?? ''} ${week} 周统计：${describeFigures(figures)}`];
  if (previous) lines.push(`（已更正，原记录保留：${describeFigures(rowFigures(previous))}）`);
  if (figures.enrolled !== undefined && figures.enrolled !== onRoll) {
    lines.push(`注意：学籍名册上本班在籍 ${onRoll} 人，与应到 ${figures.enrolled} 人不一致，请核对（转学、休学不算辍学）。`);
  }
  await ctx.reply(lines.join('\n'));
}

function rowFigures(r: { enrolled: number | null; present: number | null; leave: number | null; truant: number | null; dropout: number | null; returned: number | null }): CountFigures {
  const f: CountFigures = {};
  for (const [k] of LABELS) if (r[k] !== null) f[k] = r[k];
  return f;
}

/** A yes to a pending question. Returns false when nothing was pending. */
export async function confirmPending(ctx: Ctx): Promise<boolean> {
  const p = await counts.openPending(ctx.tx, ctx.person.id, ctx.chatRef, ctx.now);
  if (!p || p.kind !== 'weekly_count') return false;
  const { classId, figures, text } = JSON.parse(p.payload) as { classId: number; figures: CountFigures; text: string };
  await counts.resolvePending(ctx.tx, p.id, ctx.now, 'confirmed');
  await recordCount(ctx, classId, figures, text);
  return true;
}
