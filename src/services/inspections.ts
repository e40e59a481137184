/**
 * Inspection findings (抽查记录): per class, the pupils the inspector found present against the bot's records of that
 * day. A failed inspection (attendance not taken, or a difference beyond the tolerance) sends the school a 整改 notice
 * with a deadline (first failure); the second failure in a school year gives the school a 黄牌 and is reported
 * county-wide (通报批评); the third is escalated to the county to hold the responsible person to account (追究责任), as
 * the county's rules (seed 004) say. Names of pupils go
 * only to the inspector and the school's principal, by direct message.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import { quarterOf } from '../domain/inspection-draw.js';
import { classMarksOn } from '../store/attendance.repository.js';
import {
  addFinding,
  addRectification,
  addYellowCard,
  attendanceTaken,
  classNames,
  drawOf,
  enrolledOf,
  findingsInForce,
  rectificationFor,
  rectificationsBetween,
  schoolById,
  type FindingRow,
} from '../store/inspection.repository.js';
import { peopleWithRole } from '../store/org.repository.js';
import { sendToPerson } from './messenger.js';
import { payloadOf, revealDraw, type DrawRow } from './inspection-draw.js';

/** Pupils an inspection may differ by without failing (one pupil arriving late is not a false record). */
export const INSPECTION_TOLERANCE = 1;
/** School days a school has to rectify after a failed inspection. */
export const RECTIFY_SCHOOL_DAYS = 10;
export const STRIKES_FOR_YELLOW_CARD = 2;
/** The failure in a school year at which the county holds the responsible person to account (追究责任). */
export const STRIKES_FOR_ACCOUNTABILITY = 3;

export class InspectionInputError extends Error {
  constructor(
    readonly reason: string,
    readonly example: string,
  ) {
    super(reason);
  }
}

/** The school year a day belongs to, by its first calendar year: 2026-11-23 → "2026" (2026–2027学年). */
export function schoolYearOf(d: DateStr): string {
  const y = Number(d.slice(0, 4));
  return String(Number(d.slice(5, 7)) >= 9 ? y : y - 1);
}
export const schoolYearLabel = (y: string) => `${y}—${Number(y) + 1}学年`;
export const schoolYearRange = (y: string) => ({ from: `${y}-09-01`, to: `${Number(y) + 1}-08-31` });

const norm = (s: string) => s.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');

export interface DrawnClass {
  schoolId: number;
  schoolName: string;
  date: DateStr;
  classId: number;
  className: string;
}

export function drawnClasses(d: DrawRow): DrawnClass[] {
  return payloadOf(d).draw.flatMap((s) =>
    s.classes.map((c) => ({ schoolId: s.schoolId, schoolName: s.schoolName, date: s.date, classId: c.classId, className: c.className })),
  );
}

/** "三(2)班" or "青石镇中心小学三(2)班" among the drawn classes; on a tie the schools drawn for today win. */
export function resolveDrawnClass(all: DrawnClass[], ref: string, today: DateStr): DrawnClass {
  const r = norm(ref);
  let found = all.filter((c) => norm(c.className) === r || norm(c.schoolName + c.className) === r);
  if (found.length > 1) found = found.filter((c) => c.date === today).length ? found.filter((c) => c.date === today) : found;
  const example = all[0] ? `抽查记录 ${all[0].schoolName}${all[0].className} 实到30 缺勤 张三` : '抽查记录 三(2)班 实到30';
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    throw new InspectionInputError(`“${ref}”在本季度抽中的学校里不止一个：${found.map((c) => c.schoolName + c.className).join('、')}。请写上学校名。`, example);
  throw new InspectionInputError(
    `“${ref}”不是本季度抽中的班级。抽中的班级：${all.map((c) => `${c.schoolName}${c.className}（${c.date}）`).join('、')}。`,
    example,
  );
}

export interface FindingOutcome {
  finding: FindingRow;
  drawn: DrawnClass;
  /** zh-CN lines for the inspector (names included: a direct message to a county official). */
  lines: string[];
  rectificationId?: number;
  yellowCard: boolean;
  revealed: boolean;
}

/** Why a finding failed, in zh-CN (empty when it passed). */
export function failureReasons(f: Pick<FindingRow, 'taken' | 'presentFound' | 'presentRecorded' | 'mismatches'>): string[] {
  const m = JSON.parse(f.mismatches) as { absentNotMarked: number[] };
  const diff = Math.abs(f.presentFound - f.presentRecorded);
  return [
    ...(!f.taken ? ['当天未点名'] : []),
    ...(diff > INSPECTION_TOLERANCE ? [`实到人数与记录相差 ${diff} 人`] : []),
    ...(m.absentNotMarked.length > INSPECTION_TOLERANCE ? [`${m.absentNotMarked.length} 名缺勤学生未记录缺勤`] : []),
  ];
}

/** Records what the inspector found today in a drawn class, compares, and sends what follows from it. */
export async function recordFinding(
  deps: Deps,
  tx: Tx,
  r: { classRef: string; presentFound: number; absent: string[]; byId: number | null; chatRef: string; today: DateStr },
): Promise<FindingOutcome> {
  const quarter = quarterOf(r.today);
  const draw = await drawOf(tx, quarter);
  if (!draw) throw new InspectionInputError(`${quarter} 还没有抽签，无法登记抽查结果。`, `抽查 ${quarter}`);
  if (!deps.calendar.isSchoolDay(r.today))
    throw new InspectionInputError(
      `今天（${r.today}）不是上课日（${deps.calendar.whyNotSchoolDay(r.today)}），没有当天的考勤记录可对照。`,
      '抽查记录 三(2)班 实到30',
    );
  const drawn = resolveDrawnClass(drawnClasses(draw), r.classRef, r.today);
  const pupils = await enrolledOf(tx, drawn.classId);
  const absentIds: number[] = [];
  const unknown: string[] = [];
  for (const token of r.absent) {
    const hits = pupils.filter((p) => p.name === token || p.studentNo === token);
    if (hits.length === 1) absentIds.push(hits[0]!.id);
    else if (hits.length > 1)
      throw new InspectionInputError(
        `${drawn.className}有 ${hits.length} 名学生叫“${token}”，请改用学籍号：${hits.map((h) => h.studentNo).join('、')}。`,
        `抽查记录 ${drawn.className} 实到${r.presentFound} 缺勤 ${hits[0]!.studentNo}`,
      );
    else unknown.push(token);
  }
  if (unknown.length)
    throw new InspectionInputError(
      `${drawn.schoolName}${drawn.className}的名册里没有：${unknown.join('、')}。请核对姓名（或写学籍号）。`,
      `抽查记录 ${drawn.className} 实到${r.presentFound} 缺勤 ${pupils[0]?.name ?? '张三'}`,
    );
  if (r.presentFound > pupils.length + 5)
    throw new InspectionInputError(
      `实到 ${r.presentFound} 人比名册上的 ${pupils.length} 人多出太多，请核对。`,
      `抽查记录 ${drawn.className} 实到${pupils.length}`,
    );
  const marks = await classMarksOn(tx, drawn.classId, r.today);
  const recordedAbsent = new Set(pupils.filter((p) => (marks.get(p.id) ?? 'present') !== 'present').map((p) => p.id));
  const taken = marks.size > 0 || (await attendanceTaken(tx, drawn.classId, r.today));
  const found = new Set(absentIds);
  const mismatches = {
    absentNotMarked: [...found].filter((id) => !recordedAbsent.has(id)),
    markedNotAbsent: r.absent.length ? [...recordedAbsent].filter((id) => !found.has(id)) : [],
  };
  const presentRecorded = pupils.length - recordedAbsent.size;
  const base = { taken, presentFound: r.presentFound, presentRecorded, mismatches: JSON.stringify(mismatches) };
  const failed = failureReasons(base).length > 0;
  const finding = await addFinding(tx, {
    drawId: draw.id,
    schoolId: drawn.schoolId,
    classId: drawn.classId,
    date: r.today,
    enrolled: pupils.length,
    presentFound: r.presentFound,
    presentRecorded,
    taken,
    absentIds: [...found],
    mismatches,
    failed,
    byId: r.byId,
    chatRef: r.chatRef,
    at: deps.clock.now(),
  });
  const nameOf = new Map(pupils.map((p) => [p.id, p.name]));
  const lines = findingLines(finding, drawn, (ids) => ids.map((id) => nameOf.get(id) ?? `#${id}`).join('、'));
  if (r.presentFound + found.size !== pupils.length && r.absent.length)
    lines.push(`注意：实到 ${r.presentFound} + 缺勤名单 ${found.size} ≠ 名册 ${pupils.length} 人，名册可能底数不清。`);
  if (drawn.date !== r.today) lines.push(`（抽签日期为 ${drawn.date}，按今天 ${r.today} 的记录对照。）`);
  const follow: { rectification?: Rectified; yellowCard: boolean } = failed ? await rectify(deps, tx, draw, drawn, r.today) : { yellowCard: false };
  await tellPrincipals(deps, tx, drawn, lines, follow.rectification);
  if (follow.rectification)
    lines.push(
      follow.rectification.fresh
        ? `已向学校下达整改通知 #${follow.rectification.id}（本学年第 ${follow.rectification.strike} 次不合格），限 ${follow.rectification.deadline} 前完成，并告知乡镇。`
        : `已并入整改通知 #${follow.rectification.id}。`,
    );
  if (follow.yellowCard) lines.push(`⚠️ ${drawn.schoolName}本学年已 ${STRIKES_FOR_YELLOW_CARD} 次抽查不合格，记黄牌一次，已报县教育局。`);
  const revealed = (await allInspected(tx, draw)) && (await revealDraw(deps, tx, draw, r.byId));
  if (revealed) lines.push(`本季度抽中的班级都已登记，抽签结果和随机种子已公开给各乡镇和县教育局。`);
  return { finding, drawn, lines, ...(follow.rectification ? { rectificationId: follow.rectification.id } : {}), yellowCard: follow.yellowCard, revealed };
}

function findingLines(f: FindingRow, c: DrawnClass, names: (ids: number[]) => string): string[] {
  const m = JSON.parse(f.mismatches) as { absentNotMarked: number[]; markedNotAbsent: number[] };
  const reasons = failureReasons(f);
  return [
    `${c.schoolName}${c.className}（${f.date}）：名册 ${f.enrolled} 人，抽查实到 ${f.presentFound}，机器人当天记录实到 ${f.presentRecorded}${f.taken ? '' : '（当天未点名）'}。`,
    ...(m.absentNotMarked.length ? [`抽查时缺勤、但当天未记录缺勤：${names(m.absentNotMarked)}`] : []),
    ...(m.markedNotAbsent.length ? [`当天记录缺勤、抽查时却在校：${names(m.markedNotAbsent)}`] : []),
    reasons.length ? `结论：不合格（${reasons.join('；')}）。` : '结论：合格。',
  ];
}

/** The school's principals hear the finding with names, by direct message. */
async function tellPrincipals(deps: Deps, tx: Tx, c: DrawnClass, lines: string[], rect?: Rectified): Promise<void> {
  const now = deps.clock.now();
  const tail = rect
    ? rect.fresh
      ? [`整改通知 #${rect.id}：这是本学年第 ${rect.strike} 次抽查不合格。请于 ${rect.deadline} 前完成整改，完成后回复：整改完成 ${rect.id} <整改说明>`]
      : [`此项已并入整改通知 #${rect.id}。`]
    : [];
  for (const p of await peopleWithRole(tx, 'principal', { schoolId: c.schoolId })) {
    await sendToPerson(tx, now, p.id, ['📋 县教育局抽查结果：', ...lines, ...tail].join('\n'), { kind: 'inspection_finding' });
  }
}

/** The nth school day after a day (or the day itself + n calendar days when the calendar runs out). */
function schoolDaysAfter(deps: Deps, d: DateStr, n: number): DateStr {
  let cur = d;
  for (let i = 0; i < n; i++) cur = deps.calendar.nextSchoolDay(cur) ?? cur;
  return cur;
}

type Rectified = { id: number; deadline: DateStr; strike: number; fresh: boolean };

async function rectify(deps: Deps, tx: Tx, draw: DrawRow, c: DrawnClass, today: DateStr): Promise<{ rectification: Rectified; yellowCard: boolean }> {
  const existing = await rectificationFor(tx, draw.id, c.schoolId);
  if (existing) return { rectification: { ...existing, fresh: false }, yellowCard: false };
  const now = deps.clock.now();
  const schoolYear = schoolYearOf(today);
  const rect = await addRectification(tx, {
    drawId: draw.id,
    schoolId: c.schoolId,
    schoolYear,
    date: today,
    deadline: schoolDaysAfter(deps, today, RECTIFY_SCHOOL_DAYS),
    at: now,
  });
  const school = await schoolById(tx, c.schoolId);
  const townText = `⚠️ 县教育局抽查：${c.schoolName}（${today}）抽查不合格，已下达整改通知 #${rect.id}，限 ${rect.deadline} 前完成。这是该校${schoolYearLabel(schoolYear)}第 ${rect.strike} 次抽查不合格，请督促落实。`;
  for (const t of await peopleWithRole(tx, 'town', { townId: school.townId }))
    await sendToPerson(tx, now, t.id, townText, { kind: 'inspection_rectification' });
  let yellowCard = false;
  if (rect.strike >= STRIKES_FOR_YELLOW_CARD && (await addYellowCard(tx, c.schoolId, schoolYear, rect.id, now))) {
    yellowCard = true;
    const text = `🟨 黄牌：${c.schoolName}${schoolYearLabel(schoolYear)}已 ${rect.strike} 次抽查不合格（最近一次 ${today}，整改通知 #${rect.id}），记黄牌警告一次，全县通报。整改后再次抽查仍不合格的，将追究责任人责任。`;
    for (const p of [
      ...(await peopleWithRole(tx, 'county')),
      ...(await peopleWithRole(tx, 'town', { townId: school.townId })),
      ...(await peopleWithRole(tx, 'principal', { schoolId: c.schoolId })),
    ]) {
      await sendToPerson(tx, now, p.id, text, { kind: 'inspection_yellow_card', urgent: false });
    }
  }
  if (rect.strike >= STRIKES_FOR_ACCOUNTABILITY) {
    const text = `🔴 ${c.schoolName}${schoolYearLabel(schoolYear)}第 ${rect.strike} 次抽查不合格（${today}，整改通知 #${rect.id}），黄牌整改后仍未达标，报县人民政府追究责任人责任。`;
    for (const p of await peopleWithRole(tx, 'county')) await sendToPerson(tx, now, p.id, text, { kind: 'inspection_accountability', urgent: false });
  }
  return { rectification: { ...rect, fresh: true }, yellowCard };
}

async function allInspected(tx: Tx, draw: DrawRow): Promise<boolean> {
  if (draw.revealedAt) return false;
  const done = new Set((await findingsInForce(tx, { drawId: draw.id })).map((f) => f.classId));
  return drawnClasses(draw).every((c) => done.has(c.classId));
}

/**
 * The school's inspection findings, 整改 notices and 黄牌 of a month (YYYY-MM), as zh-CN lines for the monthly form's
 * remarks. Class-level figures only, never names.
 */
export async function inspectionRemarks(tx: Tx, schoolId: number, month: string): Promise<string[]> {
  const from = `${month}-01`;
  const to = `${month}-31`;
  const findings = await findingsInForce(tx, { schoolId, from, to });
  const classes = await classNames(
    tx,
    findings.map((f) => f.classId),
  );
  const { rects, cards } = await rectificationsBetween(tx, schoolId, from, to);
  return [
    ...findings.map((f) => {
      const reasons = failureReasons(f);
      return `${f.date} 县抽查 ${classes.get(f.classId) ?? ''}：名册 ${f.enrolled} 人，抽查实到 ${f.presentFound}，记录实到 ${f.presentRecorded}，${reasons.length ? `不合格（${reasons.join('；')}）` : '合格'}`;
    }),
    ...rects.map(
      (r) => `整改通知 #${r.id}（${schoolYearLabel(r.schoolYear)}第 ${r.strike} 次不合格），限 ${r.deadline} 前完成：${r.completedAt ? '已完成' : '未完成'}`,
    ),
    ...cards.map((c) => `${schoolYearLabel(c.schoolYear)}抽查 ${STRIKES_FOR_YELLOW_CARD} 次不合格，记黄牌警告一次`),
  ];
}
