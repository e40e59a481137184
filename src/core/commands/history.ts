/**
 * 历史: who changed what, when (local time) and where (group or direct chat, which platform; never a raw id), for a
 * pupil (`历史 张三` or a 学籍号 tail) or a class on a day (`历史 三(2)班 11-18`, `历史 学校 三(2)班 11-18` for towns and
 * the county), within the asker's scope. It names pupils, so it answers only in a direct chat; from a group the router
 * refuses by DM with an example that names nobody.
 */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { dateWord, tokens } from '../parse-args.js';
import { resolveStudent } from '../resolve.js';
import { isoWeek } from '../../domain/calendar.js';
import { ROLE_LABELS, type Role } from '../../domain/types.js';
import { HOME_VISIT_OUTCOME_LABELS, HOME_VISIT_REASON_LABELS, type HomeVisitOutcome, type HomeVisitReason } from '../../domain/dropout-case.js';
import { localParts, clockLabel } from '../../domain/zoned-time.js';
import { dayLabel } from '../../services/format.js';
import { classDayHistory, classesNamed, namesOf, studentHistory, type HistoryRow } from '../../store/history.repository.js';

const EXAMPLE = '历史 三(2)班 11-18';
const MAX_LINES = 40;

const STATUS: Record<string, string> = { present: '到校', sick: '病假', personal: '事假', truant: '旷课' };
const REGISTER: Record<string, string> = { transferred_out: '转出', suspended: '休学', borrowing: '借读', transferred_in: '转入' };
const CASE_EVENTS: Record<string, string> = {
  assign: '立为疑似辍学个案，落实包保责任人',
  confirm: '确认辍学',
  issue_notice: '发出返校通知书',
  return: '复学销号',
  deadline_passed: '返校期限已过，报镇政府',
  withdraw: '撤销个案',
};
const PLATFORMS: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', wechat: '微信', wecom: '企业微信', dingtalk: '钉钉', console: '控制台' };

/** "微信群聊" / "钉钉私聊" / "系统自动": the kind of chat and platform, never its id. */
export function placeLabel(chatRef: string | null): string {
  if (!chatRef) return '系统记录';
  const m = /^([a-z]+):(dm|group):/.exec(chatRef);
  if (!m) return '系统记录';
  return `${PLATFORMS[m[1]!] ?? m[1]}${m[2] === 'group' ? '群聊' : '私聊'}`;
}

function whatText(r: HistoryRow): string {
  const w = r.what;
  switch (w.kind) {
    case 'mark': {
      const who = w.studentName ? `${w.studentName} ` : '';
      return w.supersedes
        ? `更正 ${who}${dayLabel(w.date)}考勤为${STATUS[w.status] ?? w.status}（原为${STATUS[w.supersedes] ?? w.supersedes}）`
        : `登记 ${who}${dayLabel(w.date)}${STATUS[w.status] ?? w.status}`;
    }
    case 'roll_call':
      return `报 ${dayLabel(w.date)}全班考勤（点名）`;
    case 'weekly':
      return `${w.corrects ? '更正' : '报'}${w.week}周统计：${w.rawText.slice(0, 40)}`;
    case 'register':
      return `学籍变动：${REGISTER[w.change] ?? w.change}（${dayLabel(w.on)}起）`;
    case 'visit':
      return `家访（${dayLabel(w.date)}）：${HOME_VISIT_REASON_LABELS[w.reason as HomeVisitReason] ?? w.reason}，${HOME_VISIT_OUTCOME_LABELS[w.outcome as HomeVisitOutcome] ?? w.outcome}`;
    case 'case':
      return CASE_EVENTS[w.type] ?? w.type;
  }
}

async function lines(ctx: Ctx, rows: HistoryRow[]): Promise<string[]> {
  const people = await namesOf(
    ctx.tx,
    rows.map((r) => r.byId),
  );
  const shown = rows.slice(-MAX_LINES);
  const out = shown.map((r) => {
    const p = localParts(r.at, ctx.deps.config.TIMEZONE);
    const who = r.byId > 0 ? people.get(r.byId) : undefined;
    const by = who ? `${who.name}（${ROLE_LABELS[who.role as Role] ?? who.role}）` : r.chatRef ? '（人员已删除）' : '机器人或名册导入';
    return `· ${dayLabel(p.date)} ${clockLabel(p.minutes)} ${by} 在${placeLabel(r.chatRef)}：${whatText(r)}`;
  });
  if (rows.length > shown.length) out.unshift(`（共 ${rows.length} 条，只列最近 ${shown.length} 条）`);
  return out;
}

export const history: CommandDef = {
  id: 'history',
  words: ['历史', '修改记录', 'history'],
  roles: ['class_teacher', 'subject_teacher', 'principal', 'village', 'town', 'county'],
  where: 'dm',
  mutates: false,
  summary: { zh: '查看学生或某班某天的记录是谁、何时、在哪里登记和更正的', en: 'who recorded or changed what, when and where (a pupil, or a class on a day)' },
  example: EXAMPLE,
  async run(ctx, args) {
    const words = tokens(args);
    if (words.length === 0) refuse('请写学生姓名（或学籍号后六位），或者班级和日期。', EXAMPLE);
    const date = words.length >= 2 ? dateWord(words[words.length - 1]!, ctx.today) : undefined;
    if (date) return classDay(ctx, words.slice(0, -1), date);
    if (words.length > 1) refuse(`“${args.trim()}”看不懂：查学生写一个姓名或学籍号，查班级写“班级 日期”。`, EXAMPLE);
    const s = await resolveStudent(ctx, words[0]!, `历史 ${words[0]}`);
    const rows = await studentHistory(ctx.tx, s.id);
    const head = `${s.name}（${s.class.school.name} ${s.class.name}）的记录：`;
    await ctx.replyPrivately(rows.length ? [head, ...(await lines(ctx, rows))].join('\n') : `${head}还没有任何考勤、学籍变动、家访或个案记录。`);
  },
};

const normalClass = (t: string) => t.replace(/（/g, '(').replace(/）/g, ')');

async function classDay(ctx: Ctx, words: string[], date: string): Promise<void> {
  if (words.length === 0 || words.length > 2) refuse('请写“班级 日期”，乡镇和县里可在前面加学校名。', EXAMPLE);
  if (date > ctx.today) refuse(`${date} 还没有到。`, EXAMPLE);
  const name = normalClass(words[words.length - 1]!);
  const schoolName = words.length === 2 ? words[0] : undefined;
  const a = ctx.actor;
  const scope =
    a.role === 'class_teacher' || a.role === 'subject_teacher'
      ? { classId: a.classId ?? -1 }
      : a.role === 'principal'
        ? { schoolId: a.schoolId ?? -1 }
        : a.role === 'town'
          ? { townId: a.townId ?? -1 }
          : a.role === 'county'
            ? {}
            : undefined;
  if (!scope) refuse('村干部请按学生查：历史 学生姓名。', '历史 学籍号后六位');
  const found = await classesNamed(ctx.tx, name, { ...scope, ...(schoolName ? { schoolName } : {}) });
  if (found.length === 0) refuse(`在您负责的范围内没有找到班级“${schoolName ? `${schoolName} ` : ''}${name}”。`, EXAMPLE);
  if (found.length > 1)
    refuse(
      `“${name}”在 ${found.length} 所学校都有：${found.map((c) => c.school.name).join('、')}。请在前面加学校名。`,
      `历史 ${found[0]!.school.name} ${name} ${date}`,
    );
  const c = found[0]!;
  const rows = await classDayHistory(ctx.tx, c.id, date, isoWeek(date));
  const head = `${c.school.name} ${c.name} ${dayLabel(date)}（含${isoWeek(date)}周统计）的记录：`;
  await ctx.replyPrivately(rows.length ? [head, ...(await lines(ctx, rows))].join('\n') : `${head}没有任何考勤或统计记录。`);
}
