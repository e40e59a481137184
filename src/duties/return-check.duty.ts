/**
 * Holidays are when students slip away: on the first school day of a term and after every break of several days,
 * each class teacher gets the class list to check student by student. Students still absent without leave at the
 * day's cut-off become cases (daily.duty.ts, returnCases). Pupils needing attention (重点关注) are listed again with
 * their kinds, to be checked first: the list goes only to the class's teachers, by direct message.
 */
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { at, endOf, isReturnDay, localDates } from './when.js';
import { classesWithTeachers } from '../store/duty.repository.js';
import { sendToPerson } from '../services/messenger.js';
import { dayLabel } from '../services/format.js';
import { clockLabel } from '../domain/zoned-time.js';
import { attentionTag } from '../domain/attention.js';
import { enrolledNamesOfClass } from '../store/student.repository.js';

export const returnCheck: Duty = {
  name: 'return_check',
  async due(deps, window) {
    const tz = deps.config.TIMEZONE;
    const days = localDates(window.from, window.to, tz)
      .filter((d) => isReturnDay(deps.calendar, d, deps.config.RETURN_CHECK_AFTER_DAYS_OFF))
      .map((date) => ({ date, dueAt: at(date, deps.config.RETURN_CHECK_AT, tz) }))
      .filter((d) => d.dueAt > window.from && d.dueAt <= window.to);
    if (days.length === 0) return [];
    const classes = (await classesWithTeachers(deps.db)).filter((c) => c.teachers.length > 0);
    return days.flatMap((d) => {
      const term = deps.calendar.termOf(d.date);
      const prev = deps.calendar.previousSchoolDay(d.date);
      const what = term && (!prev || prev < term.start) ? '开学返校核查' : '节后返校核查';
      return classes.map((c): DueItem => {
        const key = dutyKey('return_check', d.date, `class:${c.id}`);
        return {
          key,
          duty: 'return_check',
          period: d.date,
          target: `class:${c.id}`,
          dueAt: d.dueAt,
          tooLate: window.to >= at(d.date, deps.config.DAILY_CUTOFF_AT, tz) || window.to >= endOf(d.date, tz),
          async run(tx) {
            const students = await enrolledNamesOfClass(tx, c.id);
            if (students.length === 0) return 0;
            const flagged = students.filter((s) => attentionTag(s.attention));
            const text = [
              `🏫 ${what}（${dayLabel(d.date)}）：${c.name} 在籍 ${students.length} 人，请逐一核对是否到校：`,
              students.map((s) => s.name).join('、'),
              ...(flagged.length
                ? [`其中重点关注学生 ${flagged.length} 人，请优先核对：${flagged.map((s) => `${s.name}${attentionTag(s.attention)}`).join('、')}`]
                : []),
              '全部到校请回复：今天全到',
              '有没到的请回复，如：缺勤 张三 旷课（请了假的写 病假 或 事假）',
              `今天 ${clockLabel(deps.config.DAILY_CUTOFF_AT)} 时仍未返校又未请假的学生，将列入疑似辍学台账，由班主任和村干部跟进。`,
            ].join('\n');
            for (const t of c.teachers) await sendToPerson(tx, deps.clock.now(), t.id, text, { kind: 'duty:return_check', dutyKey: key });
            return c.teachers.length;
          },
        };
      });
    });
  },
};
