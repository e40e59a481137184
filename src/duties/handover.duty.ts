/**
 * 小升初整体移交: every primary leaver must be confirmed received by a junior school.
 * - On the last day of a spring term, every enrolled pupil of a grade-6 primary class (primary or nine-year school)
 *   is recorded as a leaver awaiting a junior school's confirmation (接收 by its principal, a 回执, or a roster import
 *   that places them in a junior class); each town is told how many of its schools' leavers await confirmation.
 * - On the LEAVER_CHECK_SCHOOL_DAY-th school day of the autumn term, every leaver still not confirmed becomes a
 *   suspected-dropout case (both lines assigned as for any case) and the towns are told, with the names, by DM.
 * Both steps are set-based: a few statements for the whole county, students read in chunks of 500.
 */
import type { Duty, DueItem } from './types.js';
import type { Deps } from '../services/deps.js';
import type { Tx } from '../store/prisma.js';
import { dutyKey } from './types.js';
import { at, localDates } from './when.js';
import { isSpringTerm, LEAVER_CHECK_SCHOOL_DAY, schoolYearEnding } from '../domain/transfer.js';
import { addDays } from '../domain/calendar.js';
import type { DateStr } from '../domain/types.js';
import { markOverdue, receiveLeaversPlacedInJunior, recordLeavers, unconfirmedLeavers } from '../store/transfer.repository.js';
import { activeByPlace, responsibleForMany, studentsByIds } from '../store/duty.repository.js';
import { openSuspectedCases } from '../services/cases.js';
import { directSender } from '../services/direct-sender.js';
import { dayLabel, studentLine } from '../services/format.js';

const CHUNK = 500;
/** Names listed in one town's message; the rest are counted (the full list: 个案 / 转学名单). */
const NAMES_SHOWN = 50;

function termsOf(deps: Deps) {
  return deps.config.TERMS;
}

/** The Nth school day of a term, or undefined when the term is shorter. */
function nthSchoolDay(deps: Deps, start: DateStr, end: DateStr, n: number): DateStr | undefined {
  const last = addDays(start, n * 3 + 60) < end ? addDays(start, n * 3 + 60) : end;
  return deps.calendar.schoolDaysBetween(start, last)[n - 1];
}

async function tellTowns(deps: Deps, tx: Tx, byTown: ReadonlyMap<number, string>, key: string): Promise<number> {
  const officials = await activeByPlace(tx, 'town', 'townId', [...byTown.keys()]);
  const ids = [...officials.values()].flat().map((p) => p.id);
  const send = await directSender(tx, deps.clock.now(), ids);
  let n = 0;
  for (const [townId, text] of byTown) {
    for (const p of officials.get(townId) ?? []) {
      await send(p.id, text, { kind: 'duty:leaver_handover', dutyKey: key });
      n++;
    }
  }
  return n;
}

export const leaverHandover: Duty = {
  name: 'leaver_handover',
  async due(deps, window) {
    const tz = deps.config.TIMEZONE;
    const items: DueItem[] = [];
    const dates = new Set(localDates(window.from, window.to, tz));
    for (const term of termsOf(deps)) {
      if (isSpringTerm(term) && dates.has(term.end)) {
        const dueAt = at(term.end, deps.config.DAILY_CUTOFF_AT, tz);
        if (dueAt <= window.from || dueAt > window.to) continue;
        const schoolYear = schoolYearEnding(term.end);
        const key = dutyKey('leaver_handover', `record:${schoolYear}`, 'county');
        items.push({
          key,
          duty: 'leaver_handover',
          period: `record:${schoolYear}`,
          target: 'county',
          dueAt,
          async run(tx) {
            const byTown = await recordLeavers(tx, schoolYear, term.end, deps.clock.now());
            const text = (n: number) =>
              `🎓 小升初移交：本镇学校 ${n} 名小学毕业生（${schoolYear}学年）须由初中学校确认接收。\n初中学校校长确认：接收 <学籍号> <班级>；到县外就读的，收到回执后回复：回执 <学籍号> <说明>。\n秋季开学第 ${LEAVER_CHECK_SCHOOL_DAY} 个上学日仍未确认接收的，将列入疑似辍学台账。名单：转学名单`;
            return tellTowns(deps, tx, new Map([...byTown].map(([t, n]) => [t, text(n)])), key);
          },
        });
      }
      if (!isSpringTerm(term)) {
        const day = nthSchoolDay(deps, term.start, term.end, LEAVER_CHECK_SCHOOL_DAY);
        if (!day || !dates.has(day)) continue;
        const dueAt = at(day, deps.config.DAILY_CUTOFF_AT, tz);
        if (dueAt <= window.from || dueAt > window.to) continue;
        const key = dutyKey('leaver_handover', `check:${term.start}`, 'county');
        items.push({
          key,
          duty: 'leaver_handover',
          period: `check:${term.start}`,
          target: 'county',
          dueAt,
          // a leaver nobody received is never too late to look for
          run: (tx) => checkLeavers(deps, tx, term.start, day, key),
        });
      }
    }
    return items;
  },
};

/** Leavers placed in a junior class count as received; every other leaver becomes a suspected case; towns are told. */
async function checkLeavers(deps: Deps, tx: Tx, termStart: DateStr, day: DateStr, key: string): Promise<number> {
  const now = deps.clock.now();
  await receiveLeaversPlacedInJunior(tx, day, now);
  const pending = await unconfirmedLeavers(tx, termStart);
  const lines = new Map<number, string[]>();
  for (let i = 0; i < pending.length; i += CHUNK) {
    const part = pending.slice(i, i + CHUNK);
    const students = [
      ...(
        await studentsByIds(
          tx,
          part.map((p) => p.studentId),
        )
      ).values(),
    ];
    const peopleOf = await responsibleForMany(tx, students);
    const onRoll = students.filter((s) => s.status === 'enrolled');
    const opened = await openSuspectedCases(
      deps,
      tx,
      onRoll.map((s) => ({ student: s, on: day, people: peopleOf(s) })),
    );
    await markOverdue(
      tx,
      part.map((p) => p.id),
      `开学第 ${LEAVER_CHECK_SCHOOL_DAY} 个上学日仍未确认接收`,
      day,
      now,
    );
    for (const s of students) {
      const caseId = opened.get(s.id);
      for (const town of new Set([s.class.school.townId, s.village.townId])) {
        lines.set(town, [...(lines.get(town) ?? []), `${studentLine(s)}${caseId ? ` 个案 #${caseId}` : ''}`]);
      }
    }
  }
  const texts = new Map(
    [...lines].map(([town, list]) => [
      town,
      `🚨 小升初未确认接收：以下 ${list.length} 名小学毕业生到${dayLabel(day)}（秋季开学第 ${LEAVER_CHECK_SCHOOL_DAY} 个上学日）仍没有初中学校确认接收，已列入疑似辍学台账：\n${list.slice(0, NAMES_SHOWN).join('\n')}${list.length > NAMES_SHOWN ? `\n……另有 ${list.length - NAMES_SHOWN} 名，见：个案` : ''}\n请镇里会同学校和村干部逐一核实去向：已在初中就读的请该校校长回复 接收 <学籍号> <班级>；到县外就读的请登记 回执 <学籍号> <说明>；否则请入户家访劝返。`,
    ]),
  );
  return tellTowns(deps, tx, texts, key);
}
