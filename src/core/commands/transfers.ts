/**
 * 转学 with a named receiving school, the county's approval (批准转学 / 不批准转学), the receiving school's
 * confirmation (接收), an out-of-county receipt (回执) and the list of transfers not yet confirmed (转学名单).
 * Everything naming a pupil is answered by direct message only.
 */
import type { CommandDef } from '../registry.js';
import type { Ctx } from '../context.js';
import { refuse } from '../context.js';
import { readArgs, type ArgSpec } from '../args.js';
import { areaOf, canSeeStudent } from '../../domain/org.js';
import { needsCountyApproval, readDestination, schoolTeaches, TRANSFER_KIND_LABELS, TRANSFER_STATE_LABELS, type Destination } from '../../domain/transfer.js';
import { STAGE_LABELS, type Stage } from '../../domain/types.js';
import { parseClass } from '../../roster/grades.js';
import { placeOf } from '../../store/org.repository.js';
import { openTransferOf, openTransfersByStudentNo, openTransfersInArea, schoolsOfCounty, transferById } from '../../store/transfer.repository.js';
import { approveTransfer, completeTransfer, destinationName, refuseTransfer, requestTransfer } from '../../services/transfers.js';
import { dayLabel } from '../../services/format.js';
import { classesOfStage, findSchoolById } from '../../store/place.repository.js';

const TRANSFER_EXAMPLE = '转学 张三 青石镇九年一贯制学校 11-20';
const OUTSIDE_EXAMPLE = '转学 张三 县外 贵阳市南明区第一小学';
const TRANSFER_ARGS = [
  { name: 'on', kind: 'date', title: '日期', optional: true, at: 'end', notFuture: '不能登记未来日期的转学。' },
  { name: 'student', kind: 'student', title: '学生', missing: `请写学生、接收学校，可加日期。转到县外的如：${OUTSIDE_EXAMPLE}` },
  { name: 'to', kind: 'text', title: '接收学校', optional: true },
] as const satisfies readonly ArgSpec[];

async function destination(ctx: Ctx, words: string, fromSchoolId: number): Promise<Destination> {
  const d = readDestination(words);
  const how = `请写接收学校：本县学校写校名；转到县外写“县外”和学校名称，如：${OUTSIDE_EXAMPLE}`;
  if (d.kind === 'missing') refuse(`转学须写明接收学校。${how}`, TRANSFER_EXAMPLE);
  if (d.kind === 'outside_without_name') refuse('转到县外的，请在“县外”后写接收学校的名称（省市县和校名）。', OUTSIDE_EXAMPLE);
  if (d.kind === 'outside') return d;
  const schools = await schoolsOfCounty(ctx.tx);
  const exact = schools.filter((s) => s.name === d.name);
  const found = exact.length > 0 ? exact : schools.filter((s) => s.name.includes(d.name));
  if (found.length !== 1) {
    const list = schools
      .slice(0, 20)
      .map((s) => s.name)
      .join('、');
    refuse(
      `${found.length === 0 ? `本县没有名为“${d.name}”的学校` : `“${d.name}”对应 ${found.length} 所学校`}。本县学校：${list}${schools.length > 20 ? ` 等 ${schools.length} 所` : ''}。${how}`,
      TRANSFER_EXAMPLE,
    );
  }
  const sc = found[0]!;
  if (sc.id === fromSchoolId) refuse('接收学校就是本校：校内调班不是转学。', TRANSFER_EXAMPLE);
  return { kind: 'school', schoolId: sc.id, townId: sc.townId, schoolKind: sc.kind, name: sc.name };
}

export const transferOut: CommandDef = {
  id: 'transferred_out',
  words: ['转学', '转出', 'transfer'],
  roles: ['principal'],
  where: 'dm',
  mutates: true,
  summary: {
    zh: '登记学生转学：写明接收学校（县外写“县外 校名”）；接收学校确认后才完成',
    en: 'record a transfer to a named school (confirmed by the receiving school)',
  },
  example: TRANSFER_EXAMPLE,
  args: TRANSFER_ARGS,
  async run(ctx, args) {
    const { on = ctx.today, student: s, to: words = '' } = await readArgs(ctx, TRANSFER_ARGS, args, TRANSFER_EXAMPLE);
    if (s.status !== 'enrolled' && s.status !== 'dropped_out')
      refuse(`${s.name}目前不在籍（${s.status}），不能登记转学；学籍问题请联系县教育局。`, TRANSFER_EXAMPLE);
    const open = await openTransferOf(ctx.tx, s.id);
    if (open?.kind === 'leaver')
      refuse(
        `${s.name}是小升初待接收的毕业生（#${open.id}）：请初中学校校长回复“接收 ${s.studentNo} <班级>”；到县外就读的，由镇里登记“回执 ${s.studentNo} <说明>”。`,
        TRANSFER_EXAMPLE,
      );
    if (open)
      refuse(
        `${s.name}已有转学 #${open.id}（${TRANSFER_STATE_LABELS[open.state as keyof typeof TRANSFER_STATE_LABELS] ?? open.state}），请等它办结。`,
        TRANSFER_EXAMPLE,
      );
    const to = await destination(ctx, words, s.class.schoolId);
    if (to.kind === 'school' && !schoolTeaches(to.schoolKind, s.class.stage))
      refuse(`${to.name}没有${STAGE_LABELS[s.class.stage as Stage] ?? ''}年级，不能接收${s.class.name}的学生。`, TRANSFER_EXAMPLE);
    const needsCounty = needsCountyApproval({ stage: s.class.stage, townId: s.class.school.townId }, to);
    const { row, effect } = await requestTransfer(ctx.deps, ctx.tx, s, to, on, needsCounty, ctx.person, ctx.today);
    const toName = to.kind === 'school' ? to.name : to.text;
    if (needsCounty) {
      const why = s.class.stage === 'junior' ? '初中学生转学' : to.kind === 'outside' ? '转到县外' : '跨乡镇转学';
      return ctx.reply(
        `已提交转学申请 #${row.id}：${s.name}（${s.class.name}）转往 ${toName}，${dayLabel(on)}。${why}须县教育局审批，已私信告知县教育局和镇里；批准前学籍不变。`,
      );
    }
    const confirm = to.kind === 'school' ? `请${to.name}校长确认接收（接收 ${s.studentNo} <班级>）` : '县外接收回执到后，由镇或县教育局登记回执';
    const now = effect?.held
      ? '该生有未结的缺勤预警或疑似辍学个案：接收确认前个案和预警不撤销，仍在疑似辍学台账上（转学待核实）'
      : '学籍变动不计入辍学，该生不再计入本校在籍人数';
    await ctx.reply(
      `已登记转学 #${row.id}：${s.name}（${s.class.name}）${dayLabel(on)}转往 ${toName}。${now}。${confirm}，确认后转学才算完成；已私信告知镇里。`,
    );
  },
};

const APPROVE_EXAMPLE = '批准转学 12';
const DENY_EXAMPLE = '不批准转学 12 接收学校未同意接收';

const ID_WHY = '请写转学申请的编号（县教育局收到的审批通知里有）。';
const APPROVE_ARGS = [
  { name: 'id', kind: 'number', hash: true, min: 1, title: '编号', missing: ID_WHY, invalid: ID_WHY },
  { name: 'rest', kind: 'text', title: '说明', optional: true },
] as const satisfies readonly ArgSpec[];
const DENY_ARGS = [
  { name: 'id', kind: 'number', hash: true, min: 1, title: '编号', missing: ID_WHY, invalid: ID_WHY },
  { name: 'reason', kind: 'text', title: '原因', missing: '不批准须写明原因，学校和镇里会看到。' },
] as const satisfies readonly ArgSpec[];

async function awaitingApproval(ctx: Ctx, id: number, example: string) {
  const row = await transferById(ctx.tx, id);
  if (!row || row.kind !== 'transfer') refuse(`没有编号为 ${id} 的转学申请。`, example);
  if (row.state !== 'awaiting_approval')
    refuse(`转学 #${id} 现在是“${TRANSFER_STATE_LABELS[row.state as keyof typeof TRANSFER_STATE_LABELS] ?? row.state}”，不在待审批状态。`, example);
  return row;
}

export const approveTransferCmd: CommandDef = {
  id: 'approve_transfer',
  words: ['批准转学', 'approve_transfer'],
  roles: ['county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '县教育局批准初中或跨乡镇转学', en: 'approve a junior-high or cross-town transfer' },
  example: APPROVE_EXAMPLE,
  args: APPROVE_ARGS,
  async run(ctx, args) {
    const row = await awaitingApproval(ctx, (await readArgs(ctx, APPROVE_ARGS, args, APPROVE_EXAMPLE)).id, APPROVE_EXAMPLE);
    const { s, effect } = await approveTransfer(ctx.deps, ctx.tx, row, ctx.person, ctx.today);
    const to = await destinationName(ctx.tx, row);
    await ctx.reply(
      `已批准转学 #${row.id}：${s.name}（${s.class.school.name} ${s.class.name}）转往 ${to}。${effect.held ? '该生有未结的预警或疑似辍学个案，接收确认前仍在疑似辍学台账上（转学待核实）。' : '该生已转出原校。'}接收学校确认后转学完成；已私信告知学校和镇里。`,
    );
  },
};

export const refuseTransferCmd: CommandDef = {
  id: 'refuse_transfer',
  words: ['不批准转学', 'refuse_transfer'],
  roles: ['county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '县教育局不批准转学（写明原因）', en: 'refuse a transfer, with the reason' },
  example: DENY_EXAMPLE,
  args: DENY_ARGS,
  async run(ctx, args) {
    const { id, reason } = await readArgs(ctx, DENY_ARGS, args, DENY_EXAMPLE);
    const row = await awaitingApproval(ctx, id, DENY_EXAMPLE);
    const s = await refuseTransfer(ctx.deps, ctx.tx, row, ctx.person, reason.slice(0, 200), ctx.today);
    await ctx.reply(`已不批准转学 #${row.id}（${s.name}），原因：${reason.slice(0, 200)}。学籍不变；已私信告知学校和镇里。`);
  },
};

const RECEIVE_EXAMPLE = '接收 G522720140315001 三(1)班';

const NO_WHY = '请写学生的学籍号（全号，或后六位以上）。';
const RECEIVE_ARGS = [
  { name: 'no', kind: 'studentNo', title: '学籍号', missing: NO_WHY, invalid: NO_WHY },
  { name: 'cls', kind: 'text', title: '班级', optional: true },
] as const satisfies readonly ArgSpec[];

function pickOne<T>(list: T[], word: string, example: string): T {
  if (list.length > 1) refuse(`学籍号“${word}”对应不止一名学生，请写完整学籍号。`, example);
  return list[0]!;
}

export const receive: CommandDef = {
  id: 'receive_transfer',
  words: ['接收', 'receive'],
  roles: ['principal'],
  where: 'dm',
  mutates: true,
  summary: { zh: '接收学校确认转入的学生（含小升初），编入班级', en: 'confirm a transferred pupil (or primary leaver) arrived; place in a class' },
  example: RECEIVE_EXAMPLE,
  args: RECEIVE_ARGS,
  async run(ctx, args) {
    const { no: word, cls: classText = '' } = await readArgs(ctx, RECEIVE_ARGS, args, RECEIVE_EXAMPLE);
    const classWord = classText.replace(/\s/g, '');
    const all = await openTransfersByStudentNo(ctx.tx, word);
    const school = ctx.actor.schoolId != null ? await findSchoolById(ctx.tx, ctx.actor.schoolId) : null;
    if (!school) refuse('您的账号没有关联学校，请联系管理员。');
    const mine = all.filter((r) => (r.kind === 'transfer' ? r.toSchoolId === school.id : schoolTeaches(school.kind, 'junior')));
    if (mine.length === 0) {
      refuse(
        `没有转入${school.name}、等待确认的学籍号为“${word}”的学生。请核对学籍号；转学登记的接收学校不是贵校的，只能由登记的接收学校确认。如学生确已到校，请联系转出学校或县教育局更正。`,
        RECEIVE_EXAMPLE,
      );
    }
    const row = pickOne(mine, word, RECEIVE_EXAMPLE);
    if (row.state === 'awaiting_approval') refuse(`转学 #${row.id} 还在等县教育局审批，批准后才能接收。`, RECEIVE_EXAMPLE);
    const stage: Stage = row.kind === 'leaver' ? 'junior' : (row.student.class.stage as Stage);
    const classes = await classesOfStage(ctx.tx, school.id, stage);
    const list = classes.map((c) => c.name).join('、');
    const example = `接收 ${row.student.studentNo} ${classes[0]?.name ?? '初一(1)班'}`;
    if (!classWord) refuse(`请写编入的班级。贵校${STAGE_LABELS[stage]}班级：${list || '无'}。`, example);
    const parsed = parseClass(classWord, stage);
    const cls = parsed?.grade
      ? classes.find((c) => c.classNo === parsed.classNo && c.grade === parsed.grade!.grade && (!parsed.grade!.stage || parsed.grade!.stage === c.stage))
      : undefined;
    if (!cls) refuse(`贵校没有${STAGE_LABELS[stage]}班级“${classWord}”。可选：${list || '无'}。`, example);
    const r = await completeTransfer(
      ctx.deps,
      ctx.tx,
      row,
      row.student,
      { how: 'received', classId: cls.id, className: cls.name, schoolName: school.name },
      ctx.person,
      ctx.today,
    );
    await ctx.reply(
      `已确认接收（${TRANSFER_KIND_LABELS[row.kind as 'transfer' | 'leaver']} #${row.id}）：${row.student.name} 编入${school.name} ${cls.name}，计入贵校在籍人数。${r.caseNote ? `${r.caseNote}。` : ''}${r.alertsClosed ? `${r.alertsClosed} 条缺勤预警已撤销。` : ''}已私信告知转出学校和镇里。`,
    );
  },
};

const RECEIPT_EXAMPLE = '回执 G522720140315001 贵阳市南明区第一小学已于11月25日接收，回执存镇教育办';
const RECEIPT_ARGS = [
  { name: 'no', kind: 'studentNo', title: '学籍号', missing: NO_WHY, invalid: NO_WHY },
  { name: 'note', kind: 'text', title: '回执说明', optional: true, max: 200 },
] as const satisfies readonly ArgSpec[];

export const receipt: CommandDef = {
  id: 'transfer_receipt',
  words: ['回执', 'receipt'],
  roles: ['town', 'county'],
  where: 'dm',
  mutates: true,
  summary: { zh: '登记县外接收学校的回执（转学或小升初），转学办结', en: 'record the out-of-county receipt of a transfer' },
  example: RECEIPT_EXAMPLE,
  args: RECEIPT_ARGS,
  async run(ctx, args) {
    const { no: word, note = '' } = await readArgs(ctx, RECEIPT_ARGS, args, RECEIPT_EXAMPLE);
    const all = (await openTransfersByStudentNo(ctx.tx, word)).filter((r) => ctx.actor.role === 'county' || canSeeStudent(ctx.actor, placeOf(r.student)));
    if (all.length === 0) refuse(`在您负责的范围内没有学籍号为“${word}”、等待接收确认的转学。`, RECEIPT_EXAMPLE);
    const row = pickOne(all, word, RECEIPT_EXAMPLE);
    if (row.toSchoolId !== null) refuse(`转学 #${row.id} 的接收学校在本县，须由接收学校校长确认：接收 ${row.student.studentNo} <班级>。`, RECEIPT_EXAMPLE);
    if (row.state === 'awaiting_approval') refuse(`转学 #${row.id} 还在等县教育局审批。`, RECEIPT_EXAMPLE);
    if (!note) refuse('请写回执说明：接收学校、接收日期、回执存放处。', RECEIPT_EXAMPLE);
    const r = await completeTransfer(ctx.deps, ctx.tx, row, row.student, { how: 'receipt', note }, ctx.person, ctx.today);
    await ctx.reply(
      `已登记回执（${TRANSFER_KIND_LABELS[row.kind as 'transfer' | 'leaver']} #${row.id}）：${row.student.name}，${note}。转学办结。${r.caseNote ? `${r.caseNote}。` : ''}${r.alertsClosed ? `${r.alertsClosed} 条缺勤预警已撤销。` : ''}`,
    );
  },
};

export const transferList: CommandDef = {
  id: 'transfer_list',
  words: ['转学名单', '待接收', 'transfers'],
  roles: ['county', 'town', 'principal'],
  where: 'dm',
  mutates: false,
  summary: { zh: '负责范围内尚未确认接收的转学和小升初学生', en: 'transfers and leavers not yet confirmed received' },
  example: '转学名单',
  async run(ctx) {
    const area = areaOf(ctx.actor);
    if (!area) refuse('您的账号没有关联负责范围，请联系管理员。');
    const list = await openTransfersInArea(ctx.tx, area);
    if (list.length === 0) return ctx.reply('您负责的范围内没有等待确认接收的转学。');
    const shown = list.slice(0, 200);
    const lines = shown.map(
      (r) =>
        `#${r.id} ${r.student.name}（学籍号尾号${r.student.studentNo.slice(-6)}）${TRANSFER_KIND_LABELS[r.kind as 'transfer' | 'leaver']} ${r.fromName} → ${r.toName || '初中学校（待确认）'}，${dayLabel(r.on)}，${TRANSFER_STATE_LABELS[r.state as keyof typeof TRANSFER_STATE_LABELS] ?? r.state}`,
    );
    await ctx.reply([`尚未确认接收的转学 ${list.length} 件${list.length > shown.length ? `（列出前 ${shown.length} 件）` : ''}：`, ...lines].join('\n'));
  },
};
