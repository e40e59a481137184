/** 抽查记录 (the inspector's count of a drawn class, against the day's records) and 整改完成 (the school's answer). */
import type { CommandDef } from '../registry.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { InspectionInputError, recordFinding } from '../../services/inspections.js';
import { completeRectificationBy, RectificationError } from '../../services/inspection-results.js';

const FINDING_EXAMPLE = '抽查记录 青石镇中心小学三(2)班 实到28 缺勤 张三 李四';

/** "<班级或学校+班级> 实到<N> [缺勤 姓名…]" → its parts, or undefined. */
export function parseFinding(args: string): { classRef: string; present: number; absent: string[] } | undefined {
  const m = /^(.+?)\s*实到\s*[:：]?\s*(\d{1,4})\s*(?:人)?\s*(?:(?:缺勤|缺席|未到)\s*[:：]?\s*(.*))?$/s.exec(args.trim());
  if (!m || !m[1]!.trim()) return undefined;
  const absent = (m[3] ?? '')
    .split(/[\s,，、;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { classRef: m[1]!.trim(), present: Number(m[2]), absent: [...new Set(absent)] };
}

export const inspectionFinding: CommandDef = {
  id: 'inspection_finding',
  words: ['抽查记录', 'inspection_record'],
  roles: ['county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '登记抽查班级的实到人数和缺勤学生，与当天考勤记录对照', en: 'record an inspected class’s count against the day’s records' },
  example: FINDING_EXAMPLE,
  async run(ctx, args) {
    const p = parseFinding(args);
    if (!p) refuse('请写班级（或学校+班级）和实到人数，缺勤学生写在“缺勤”后面。', FINDING_EXAMPLE);
    const out = await recordFinding(ctx.deps, ctx.tx, {
      classRef: p.classRef,
      presentFound: p.present,
      absent: p.absent,
      byId: ctx.person.id,
      chatRef: ctx.chatRef,
      today: ctx.today,
    }).catch((e: unknown) => (e instanceof InspectionInputError ? refuse(e.reason, e.example) : Promise.reject(e)));
    await ctx.replyPrivately(['已登记抽查结果。', ...out.lines].join('\n'));
  },
};

const RECTIFIED_ARGS = [
  { name: 'id', kind: 'number', hash: true, title: '整改通知编号', missing: '请写整改通知编号和整改说明。', invalid: '请写整改通知编号和整改说明。' },
  { name: 'note', kind: 'text', raw: true, title: '整改说明', optional: true },
] as const satisfies readonly ArgSpec[];

export const rectified: CommandDef = {
  id: 'rectified',
  words: ['整改完成', 'rectified'],
  roles: ['principal'],
  where: 'dm',
  mutates: true,
  summary: { zh: '回复抽查整改通知：整改已完成', en: 'report a rectification notice done' },
  example: '整改完成 1 已补齐当天考勤并对班主任进行了培训',
  args: RECTIFIED_ARGS,
  async run(ctx, args) {
    const { id, note = '' } = await readArgs(ctx, RECTIFIED_ARGS, args, '整改完成 1 已补齐当天考勤并对班主任进行了培训');
    if (note.length < 2) refuse('请写上整改说明（做了哪些整改）。', `整改完成 ${id} 已补齐当天考勤并对班主任进行了培训`);
    const r = await completeRectificationBy(ctx.deps, ctx.tx, ctx.person, id, note.slice(0, 500)).catch((e: unknown) =>
      e instanceof RectificationError ? refuse(e.message, '整改完成 1 已补齐当天考勤') : Promise.reject(e),
    );
    await ctx.reply(r === 'done' ? `已记录：整改通知 #${id} 整改完成，已告知乡镇和县教育局。` : `整改通知 #${id} 已经报告过整改完成了。`);
  },
};
