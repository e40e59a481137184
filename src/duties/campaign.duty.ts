/**
 * Campaign months (控辍保学月, e.g. March and September) and the first week of each term (劝返周): once a week
 * everyone responsible for an open case gets one digest of their cases, by direct message.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { at, endOf, localDates, weeklyDay, weeksOf } from './when.js';
import { openCasesWithStudents } from '../store/duty.repository.js';
import { responsibleFor, studentById } from '../store/org.repository.js';
import { sendToPerson } from '../services/messenger.js';
import { dayLabel } from '../services/format.js';
import { addDays } from '../domain/calendar.js';
import { CASE_STATE_LABELS, type CaseState } from '../domain/dropout-case.js';
import type { DateStr } from '../domain/types.js';

/** 控辍保学月 or 劝返周 (the first seven days of a term). */
export function campaignOn(deps: Deps, d: DateStr): string | undefined {
  if (deps.config.CAMPAIGN_MONTHS.includes(Number(d.slice(5, 7)))) return '控辍保学月';
  const term = deps.calendar.termOf(d);
  if (term && d <= addDays(term.start, 6)) return '劝返周';
  return undefined;
}

export const campaignDigest: Duty = {
  name: 'campaign_digest',
  async due(deps, window) {
    const tz = deps.config.TIMEZONE;
    const { weekday, minutes } = deps.config.CAMPAIGN_DIGEST_AT;
    const items: DueItem[] = [];
    for (const { week, monday } of weeksOf(localDates(window.from, window.to, tz))) {
      const day = weeklyDay(deps.calendar, monday, weekday, 'after');
      if (!day) continue;
      const campaign = campaignOn(deps, day);
      const dueAt = at(day, minutes, tz);
      if (!campaign || dueAt <= window.from || dueAt > window.to) continue;
      // Who is responsible for which open case, on both lines.
      const byPerson = new Map<number, { caseId: number; line: string }[]>();
      for (const c of await openCasesWithStudents(deps.db)) {
        const s = await studentById(deps.db, c.studentId);
        if (!s) continue;
        const p = await responsibleFor(deps.db, s);
        const visits = await deps.db.homeVisit.count({ where: { studentId: s.id, recordedAt: { gte: c.createdAt } } });
        const line = `#${c.id} ${s.name}（${s.class.school.name} ${s.class.name}，${s.village.name}）${CASE_STATE_LABELS[c.state as CaseState] ?? c.state}，自${dayLabel(c.openedOn)}起，已家访 ${visits} 次`;
        for (const person of [...p.classTeachers, ...p.principals, ...p.cadres, ...p.townOfficials]) {
          byPerson.set(person.id, [...(byPerson.get(person.id) ?? []).filter((x) => x.caseId !== c.id), { caseId: c.id, line }]);
        }
      }
      for (const [personId, cases] of byPerson) {
        const key = dutyKey('campaign_digest', week, `person:${personId}`);
        items.push({
          key,
          duty: 'campaign_digest',
          period: week,
          target: `person:${personId}`,
          dueAt,
          tooLate: window.to >= endOf(day, tz),
          async run(tx) {
            const text = [
              `📣 ${campaign} · 个案周报（${dayLabel(day)}）：您负责的进行中个案 ${cases.length} 件：`,
              ...cases.map((c) => `· ${c.line}`),
              '请落实包保责任，继续家访劝返。家访后回复：家访 <姓名> <原因> <结果>；查看详情：个案',
            ].join('\n');
            await sendToPerson(tx, deps.clock.now(), personId, text, { kind: 'duty:campaign_digest', dutyKey: key });
            return 1;
          },
        });
      }
    }
    return items;
  },
};
