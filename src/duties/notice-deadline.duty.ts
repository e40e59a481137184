/**
 * A return-to-school notice (《辍学学生返校通知书》) has a deadline. At the daily cut-off after it, a student still not
 * back is reported to the town government for legal measures (the case becomes "referred"), and everyone
 * responsible is told.
 */
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { cutoffs } from './daily.duty.js';
import { openCasesWithStudents } from '../store/duty.repository.js';
import { responsibleFor, studentById } from '../store/org.repository.js';
import { applyToOpenCase, rebuild } from '../services/cases.js';
import { sendToPerson } from '../services/messenger.js';
import { dayLabel, studentLine } from '../services/format.js';

export const noticeDeadline: Duty = {
  name: 'notice_deadline',
  async due(deps, window) {
    const days = cutoffs(deps, window);
    if (days.length === 0) return [];
    const items: DueItem[] = [];
    const cases = (await openCasesWithStudents(deps.db)).filter((c) => c.state === 'notice_issued');
    for (const d of days) {
      for (const row of cases) {
        const deadline = rebuild(row).noticeDeadline;
        if (!deadline || deadline >= d.date) continue;
        const key = dutyKey('notice_deadline', `case:${row.id}`, deadline);
        items.push({
          key,
          duty: 'notice_deadline',
          period: `case:${row.id}`,
          target: deadline,
          dueAt: d.dueAt,
          async run(tx) {
            const step = await applyToOpenCase(deps, tx, row.studentId, { type: 'deadline_passed', at: d.date, by: 'system' }, 0);
            if (!step?.ok) return 0; // back at school meanwhile, or already handled
            const s = await studentById(tx, row.studentId);
            if (!s) return 0;
            const p = await responsibleFor(tx, s);
            const to = [...p.townOfficials, ...p.principals, ...p.classTeachers, ...p.cadres];
            const text = `🚨 返校期限已过：${studentLine(s)} 的返校通知书期限是${dayLabel(deadline)}，至今仍未返校。个案 #${row.id} 已报镇政府依法处理。\n请镇里按程序督促监护人履行义务；学生返校后请班主任回复：复学 ${s.name}`;
            for (const x of to) await sendToPerson(tx, deps.clock.now(), x.id, text, { kind: 'duty:notice_deadline', dutyKey: key, urgent: true });
            return to.length;
          },
        });
      }
    }
    return items;
  },
};
