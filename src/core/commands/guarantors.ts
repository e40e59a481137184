/**
 * 包保: a principal (own school), a town official (own town) or the county names the people responsible for one
 * pupil, and so for their open case, besides the default two lines. Named people get the pupil's absence alerts
 * from the first step, the reminders and escalation digests of those alerts, and the campaign digests of the case.
 *   包保 张三              → who is named now (and the default two lines)
 *   包保 张三 T1001 T2001  → names them
 *   包保 张三 取消 T1001   → removes one (history kept: rows are appended, never changed)
 */
import type { CommandDef } from '../registry.js';
import { refuse, type Ctx } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { REMOVE_SET } from '../../domain/labels.js';
import { canSeeStudent } from '../../domain/org.js';
import { ROLE_LABELS, type Role } from '../../domain/types.js';
import { attentionTag } from '../../domain/attention.js';
import { placeOf, responsibleFor, toActor, type PersonRow, type StudentFull } from '../../store/org.repository.js';
import { addGuarantorRows, guarantorHistory, guarantorsOf } from '../../store/guarantor.repository.js';
import { sendToPerson } from '../../services/messenger.js';
import { studentLine } from '../../services/format.js';

const EXAMPLE = '包保 张三 T1001';
const EXAMPLES = '包保 张三 T1001（指定）；包保 张三（查看）；包保 张三 取消 T1001（取消）';
/** At most this many 工号 in one message. */
const MAX_PEOPLE = 10;
const ARGS = [
  { name: 'student', kind: 'student', title: '学生', missing: '请写学生姓名或学籍号后几位，要指定包保人再写工号。', example: EXAMPLES },
  { name: 'remove', kind: 'label', set: REMOVE_SET, title: '取消', optional: true },
  { name: 'people', kind: 'person', title: '工号', optional: true, repeated: { max: MAX_PEOPLE } },
] as const satisfies readonly ArgSpec[];

const who = (p: PersonRow) => `${p.name}（${p.staffId}，${ROLE_LABELS[p.role as Role] ?? p.role}）`;

export const guarantee: CommandDef = {
  id: 'guarantee',
  words: ['包保', 'guarantee'],
  roles: ['principal', 'town', 'county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '指定、查看或取消某个学生的包保责任人（用工号）', en: 'name, list or remove the people responsible for a pupil (by staff id)' },
  example: EXAMPLE,
  args: ARGS,
  async run(ctx, args) {
    const { student: s, remove, people: named } = await readArgs(ctx, ARGS, args, EXAMPLE);
    const name = s.studentNo.slice(-6);
    const removing = remove !== undefined;
    if (!removing && named.length === 0) return ctx.reply(await listing(ctx, s));
    if (named.length === 0) refuse('请写要取消的包保人工号。', `包保 ${name} 取消 T1001`);
    const people = inScope(s, named, name);
    const before = await guarantorsOf(ctx.tx, s.id);
    const current = new Set(before.map((p) => p.id));
    if (removing) {
      const notNamed = people.filter((p) => !current.has(p.id));
      if (notNamed.length)
        refuse(
          `${notNamed.map(who).join('、')} 不是 ${s.name} 的包保人，无需取消。发“包保 ${name}”查看现在的包保人。`,
          `包保 ${name} 取消 ${before[0]?.staffId ?? 'T1001'}`,
        );
    }
    const changed = removing ? people : people.filter((p) => !current.has(p.id));
    await addGuarantorRows(
      ctx.tx,
      changed.map((p) => ({
        studentId: s.id,
        personId: p.id,
        action: removing ? ('remove' as const) : ('add' as const),
        byId: ctx.person.id,
        chatRef: ctx.chatRef,
        at: ctx.now,
      })),
    );
    for (const p of changed) {
      if (p.id === ctx.person.id) continue;
      const text = removing
        ? `ℹ️ ${ctx.person.name}已取消您对 ${studentLine(s)} 的包保责任；该生的预警和个案周报不再发给您（您本来负责的除外）。`
        : `📌 ${ctx.person.name}指定您为 ${studentLine(s)}${attentionTag(s.attention)} 的包保责任人。今后该生的缺勤预警、提醒和个案周报都会私信发给您；家访后请回复：家访 ${s.name} <原因> <结果>`;
      await sendToPerson(ctx.tx, ctx.now, p.id, text, { kind: 'guarantor' });
    }
    const already = removing ? [] : people.filter((p) => current.has(p.id));
    const done = changed.length ? `${removing ? '已取消' : '已指定'} ${s.name} 的包保人：${changed.map(who).join('、')}。` : '';
    const same = already.length ? `${already.map(who).join('、')} 本来就是 ${s.name} 的包保人。` : '';
    await ctx.reply([done, same, await listing(ctx, s)].filter(Boolean).join('\n'));
  },
};

/** The people the 工号 name (found by readArgs): each must be responsible somewhere covering the pupil. */
function inScope(s: StudentFull, named: readonly PersonRow[], name: string): PersonRow[] {
  const out: PersonRow[] = [];
  for (const p of named) {
    if (!canSeeStudent(toActor(p), placeOf(s))) {
      refuse(
        `${who(p)} 不负责 ${s.name} 所在的班级、学校、村或镇，不能做该生的包保人。包保人须是该生的班主任、任课教师、本校校长、所住村的村干部、镇干部或县教育局人员。`,
        `包保 ${name} T1001`,
      );
    }
    if (!out.some((x) => x.id === p.id)) out.push(p);
  }
  return out;
}

async function listing(ctx: Ctx, s: StudentFull): Promise<string> {
  const [named, lines, history] = await Promise.all([guarantorsOf(ctx.tx, s.id), responsibleFor(ctx.tx, s), guarantorHistory(ctx.tx, s.id)]);
  const names = (list: PersonRow[]) => (list.length ? list.map((p) => p.name).join('、') : '（未设）');
  return [
    `${studentLine(s)}${attentionTag(s.attention)}`,
    named.length ? `包保人 ${named.length} 人：${named.map(who).join('、')}` : '还没有指定包保人。',
    `默认双线责任人：班主任 ${names(lines.classTeachers)}；村干部 ${names(lines.cadres)}`,
    history.length ? `（包保变更记录 ${history.length} 条，均已留存）` : '',
    `指定：包保 ${s.studentNo.slice(-6)} <工号>；取消：包保 ${s.studentNo.slice(-6)} 取消 <工号>`,
  ]
    .filter(Boolean)
    .join('\n');
}
