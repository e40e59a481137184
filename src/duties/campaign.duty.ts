/**
 * Campaign months (控辍保学月, e.g. March and September) and the first week of each term (劝返周): once a week
 * everyone responsible for an open case (both lines and the people named by 包保) gets one digest of their cases, by
 * direct message, each pupil with their 重点关注 kinds.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueBatch, DueItem } from './types.js';
import type { Tx } from '../store/prisma.js';
import { dutyKey } from './types.js';
import { at, endOf, localDates, weeklyDay, weeksOf } from './when.js';
import { openCasesWithStudents, responsibleForMany, studentsByIds, visitTimesOf } from '../store/duty.repository.js';
import { directSender } from '../services/direct-sender.js';
import { dayLabel } from '../services/format.js';
import { addDays } from '../domain/calendar.js';
import { CASE_STATE_LABELS, HOME_VISIT_EXAMPLE_WORDS, type CaseState } from '../domain/dropout-case.js';
import { attentionTag } from '../domain/attention.js';
import { guarantorsOfMany } from '../store/guarantor.repository.js';
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
      const open = await openCasesWithStudents(deps.db);
      const students = await studentsByIds(deps.db, [...new Set(open.map((c) => c.studentId))]);
      const peopleOf = await responsibleForMany(deps.db, [...students.values()]);
      const visited = await visitTimesOf(deps.db, [...students.keys()]);
      const named = await guarantorsOfMany(deps.db, [...students.keys()]);
      for (const c of open) {
        const s = students.get(c.studentId);
        if (!s) continue;
        const p = peopleOf(s);
        const visits = (visited.get(s.id) ?? []).filter((t) => t >= c.createdAt).length;
        const line = `#${c.id} ${s.name}${attentionTag(s.attention)}（${s.class.school.name} ${s.class.name}，${s.village.name}）${CASE_STATE_LABELS[c.state as CaseState] ?? c.state}，自${dayLabel(c.openedOn)}起，已家访 ${visits} 次`;
        for (const person of [...p.classTeachers, ...p.principals, ...p.cadres, ...p.townOfficials, ...(named.get(s.id) ?? [])]) {
          byPerson.set(person.id, [...(byPerson.get(person.id) ?? []).filter((x) => x.caseId !== c.id), { caseId: c.id, line }]);
        }
      }
      const text = (cases: { line: string }[]) =>
        [
          `📣 ${campaign} · 个案周报（${dayLabel(day)}）：您负责的进行中个案 ${cases.length} 件：`,
          ...cases.map((c) => `· ${c.line}`),
          `请落实包保责任，继续家访劝返。家访后回复：家访 <姓名> <原因> <结果>（如：家访 张三 ${HOME_VISIT_EXAMPLE_WORDS}；其他原因写 其他:说明）；查看详情：个案`,
        ].join('\n');
      // One digest per person; their direct chats are looked up once per batch.
      const personOf = new Map<string, number>();
      const digest = async (tx: Tx, keys: readonly string[]) => {
        const send = await directSender(
          tx,
          deps.clock.now(),
          keys.map((k) => personOf.get(k)!),
        );
        for (const key of keys) await send(personOf.get(key)!, text(byPerson.get(personOf.get(key)!)!), { kind: 'duty:campaign_digest', dutyKey: key });
        return new Map(keys.map((k) => [k, 1]));
      };
      const batch: DueBatch = {
        run: (tx, list) =>
          digest(
            tx,
            list.map((i) => i.key),
          ),
      };
      for (const personId of byPerson.keys()) {
        const key = dutyKey('campaign_digest', week, `person:${personId}`);
        personOf.set(key, personId);
        items.push({
          key,
          duty: 'campaign_digest',
          period: week,
          target: `person:${personId}`,
          dueAt,
          tooLate: window.to >= endOf(day, tz),
          batch,
          run: async (tx) => (await digest(tx, [key])).get(key) ?? 0,
        });
      }
    }
    return items;
  },
};
