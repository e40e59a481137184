/**
 * A weekly count against what the bot already knows: the class's roll in the register and the week's daily marks.
 * A count far from the roll is refused; one that differs a little, or says fewer absences or truants than the week's
 * marks, is asked about. Group sentences carry class-level numbers only; pupils' names go in `detail` (for a DM). Pure.
 */
import type { AttendanceStatus, CountFigures } from './types.js';

/** A pupil with at least one absence marked this week, and the kinds marked. */
export interface MarkedPupil {
  name: string;
  statuses: AttendanceStatus[];
}

export interface CountCheck {
  /** The count cannot be this class's: refused with this reason. */
  refusal?: string;
  /** Questions for the group (no names). */
  questions: string[];
  /** Names and dates for the teacher alone. */
  detail: string[];
}

/** How far 应到 may be from the roll before it is not this class's count at all. */
export function farFromRoll(roll: number): number {
  return Math.max(5, Math.round(roll * 0.2));
}

/** What "truant" the count states: its 旷课, or 0 when it says everyone was present. Undefined when it does not say. */
function statedTruant(f: CountFigures): number | undefined {
  if (f.truant !== undefined) return f.truant;
  if (f.enrolled !== undefined && f.present === f.enrolled) return 0;
  return undefined;
}

export function checkAgainstRegister(f: CountFigures, roll: number, marked: readonly MarkedPupil[]): CountCheck {
  const out: CountCheck = { questions: [], detail: [] };
  const e = f.enrolled;
  if (e !== undefined && roll > 0 && e !== roll) {
    const diff = Math.abs(e - roll);
    if (diff > farFromRoll(roll)) {
      out.refusal = `应到写了 ${e} 人，学籍名册上本班在籍 ${roll} 人，相差 ${diff} 人，不像是本班的人数。请核对后重新发送；如果名册不对，请先办理学籍变动（转入、转出、休学）。`;
      return out;
    }
    out.questions.push(`应到 ${e} 人，与学籍名册上本班在籍 ${roll} 人不一致（转学、休学、借读不算辍学，要办学籍变动）。`);
  }
  const truants = marked.filter((p) => p.statuses.includes('truant'));
  const said = statedTruant(f);
  if (truants.length > 0 && said !== undefined && said < truants.length) {
    out.questions.push(`本周每日考勤记了 ${truants.length} 名学生旷课，统计写的是旷课 ${said} 人。`);
    out.detail.push(`本周考勤记旷课的学生：${truants.map((p) => p.name).join('、')}`);
  }
  if (e !== undefined && f.present !== undefined && marked.length > e - f.present) {
    out.questions.push(`本周每日考勤记了 ${marked.length} 名学生缺勤，统计只写了 ${e - f.present} 人没到。`);
    out.detail.push(`本周考勤记缺勤的学生：${marked.map((p) => `${p.name}（${[...new Set(p.statuses)].map(statusZh).join('、')}）`).join('、')}`);
  }
  return out;
}

function statusZh(s: AttendanceStatus): string {
  return s === 'sick' ? '病假' : s === 'personal' ? '事假' : s === 'truant' ? '旷课' : '到校';
}
