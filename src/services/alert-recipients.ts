/**
 * Who an absence alert reaches and what it says. The default two lines by ladder step (class teacher; then the
 * principal and the village cadre; then the town), plus:
 * - the people named by 包保 for that pupil, at every step;
 * - the priority rule ATTENTION_ESCALATE: a pupil needing attention (e.g. a left-behind child) has the rule's roles
 *   told from the first step on.
 * Alert texts show the pupil's 重点关注 kinds: they go only by direct message to people responsible for the pupil.
 */
import type { Tx } from '../store/prisma.js';
import type { Config } from '../config.js';
import type { LadderStep } from '../domain/absence.js';
import type { DateStr } from '../domain/types.js';
import { attentionTag, escalatedRoles, type EscalateRole } from '../domain/attention.js';
import { responsibleFor, type PersonRow, type StudentFull } from '../store/org.repository.js';
import { responsibleForMany } from '../store/duty.repository.js';
import { guarantorsOf, guarantorsOfMany } from '../store/guarantor.repository.js';
import { HOME_VISIT_EXAMPLE_WORDS } from '../domain/dropout-case.js';
import { dayLabel, homeLine, studentLine } from './format.js';

/** Everyone responsible for a pupil: the two lines by level, and the people named by 包保. */
export interface People {
  classTeachers: PersonRow[];
  principals: PersonRow[];
  cadres: PersonRow[];
  townOfficials: PersonRow[];
  named: PersonRow[];
}

export async function peopleFor(tx: Tx, s: StudentFull): Promise<People> {
  const [lines, named] = await Promise.all([responsibleFor(tx, s), guarantorsOf(tx, s.id)]);
  return { ...lines, named };
}

/** As peopleFor, for many pupils at once (set-based: a few queries over the places and pupils involved). */
export async function peopleForMany(tx: Tx, students: readonly StudentFull[]): Promise<(s: StudentFull) => People> {
  const [lines, named] = await Promise.all([
    responsibleForMany(tx, students),
    guarantorsOfMany(
      tx,
      students.map((s) => s.id),
    ),
  ]);
  return (s) => ({ ...lines(s), named: named.get(s.id) ?? [] });
}

const BY_ROLE: Record<EscalateRole, (p: People) => PersonRow[]> = {
  village: (p) => p.cadres,
  principal: (p) => p.principals,
  town: (p) => p.townOfficials,
};

/** The recipients of one ladder step for a pupil, each person once. */
export function recipientsFor(config: Pick<Config, 'ATTENTION_ESCALATE'>, step: LadderStep, p: People, s: Pick<StudentFull, 'attention'>): PersonRow[] {
  const base =
    step === 'call_family'
      ? p.classTeachers
      : step === 'joint_home_visit'
        ? [...p.classTeachers, ...p.principals, ...p.cadres]
        : [...p.classTeachers, ...p.principals, ...p.cadres, ...p.townOfficials];
  const raised = [...escalatedRoles(config.ATTENTION_ESCALATE, s.attention)].flatMap((r) => BY_ROLE[r](p));
  const seen = new Set<number>();
  return [...base, ...raised, ...p.named].filter((x) => !seen.has(x.id) && seen.add(x.id));
}

/** The pupil's 重点关注 tag on a line of its own, or nothing. */
function attentionLine(s: StudentFull): string {
  const tag = attentionTag(s.attention);
  return tag ? `\n${tag}` : '';
}

export function alertText(step: LadderStep, id: number, s: StudentFull, days: number, since: DateStr): string {
  const who = `学生：${studentLine(s)}${attentionLine(s)}\n${homeLine(s)}`;
  const streak = `自${dayLabel(since)}起已连续 ${days} 个上学日无故缺勤。`;
  const ack = `确认收到请回复：收到 ${id}`;
  switch (step) {
    case 'call_family':
      return `📞 缺勤提醒 #${id}\n${who}\n${streak}\n请今天联系家长，了解未到校原因。如是请假，请更正：更正 ${s.name} 病假\n${ack}`;
    case 'joint_home_visit':
      return `⚠️ 两天未到校预警 #${id}\n${who}\n${streak}\n按“无故两天不到校须立即家访”的要求，请学校与村里联合入户家访，查明原因、动员返校。\n家访后请私信回复：家访 ${s.name} <原因> <结果>（如：家访 ${s.name} ${HOME_VISIT_EXAMPLE_WORDS}）\n${ack}`;
    case 'suspected_dropout':
      return `🚨 疑似辍学 #${id}\n${who}\n${streak}\n该生已列入疑似辍学学生台账，包保责任人：班主任与村干部。请镇里督促落实家访劝返。\n${ack}`;
  }
}
