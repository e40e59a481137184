/**
 * Sets a county up for the duty benchmarks (not measured): every class group bound to its class, and a term of
 * attendance up to the measured day as teachers would have reported it. Each school day 3–5% of pupils are absent
 * (mostly sick or personal leave, some truant); about 1% of pupils are on a truant streak of 1–6 days that runs
 * through the measured day, so the 17:00 two-day check has hundreds of truants (600 at 60,000). A class with nobody
 * absent reported 今天全到; on the measured day about 5% of classes have not reported at all (the reminder's work).
 * Rows are written in bulk (≤ 100 rows per statement) and then sealed into the record chain; the ladder is not run for past days, so the measured check
 * raises every streak's alerts itself — the catch-up case, the heaviest the duty meets.
 */
import { refreshPlannerStatistics } from '../../src/store/statistics.js';
import type { Deps } from '../../src/services/deps.js';
import { bindGroup } from '../../src/store/chat.repository.js';
import { prng } from '../../src/demo/random-names.js';
import { sealAll } from '../../src/services/audit-chain.js';

export const TERM_START = '2026-09-01';
/** A Friday in term: the weekly prompt (Fri 15:00) and the daily cut-off (17:00) both fall on it. */
export const MEASURED_DAY = '2026-11-20';
export const groupRef = (classId: number) => `console:group:g${classId}`;

const STREAK_SHARE = 0.01;
const NOT_REPORTED_SHARE = 0.05;
const CHUNK = 100;

type Status = 'sick' | 'personal' | 'truant';

export async function prepareTerm(deps: Deps, seed = 1): Promise<{ days: number; marks: number; classDays: number; streaks: number; groups: number }> {
  const { db } = deps;
  const rand = prng(seed);
  const at = (day: string) => new Date(`${day}T08:30:00+08:00`);
  const teachers = await db.person.findMany({ where: { role: 'class_teacher', classId: { not: null } }, select: { id: true, classId: true } });
  const teacherOf = new Map(teachers.map((t) => [t.classId!, t.id]));
  for (const t of teachers) await bindGroup(db, groupRef(t.classId!), t.classId!, t.id, at(TERM_START));
  const students = await db.student.findMany({ select: { id: true, classId: true }, orderBy: { id: 'asc' } });
  const days = deps.calendar.schoolDaysBetween(TERM_START, MEASURED_DAY);
  // Truant streaks that run through the measured day: 1–6 school days each.
  const streakDays = new Map<number, number>();
  for (const s of students) if (rand() < STREAK_SHARE) streakDays.set(s.id, 1 + Math.floor(rand() * 6));
  const truantClasses = new Set(students.filter((s) => streakDays.has(s.id)).map((s) => s.classId));
  const classIds = [...teacherOf.keys()];
  const silent = new Set(classIds.filter((c) => !truantClasses.has(c) && rand() < NOT_REPORTED_SHARE));

  let marks = 0;
  let classDays = 0;
  const pending: { studentId: number; date: string; status: Status; reportedById: number; chatRef: string; recordedAt: Date }[] = [];
  const flush = async (all = false) => {
    while (pending.length >= CHUNK || (all && pending.length)) await db.attendanceMark.createMany({ data: pending.splice(0, CHUNK) });
  };
  for (const [i, day] of days.entries()) {
    const last = day === MEASURED_DAY;
    const rate = 0.03 + 0.02 * rand();
    const absentIn = new Set<number>();
    for (const s of students) {
      if (last && silent.has(s.classId)) continue;
      const streak = streakDays.get(s.id);
      const onStreak = streak !== undefined && days.length - 1 - i < streak;
      let status: Status | undefined = onStreak ? 'truant' : undefined;
      if (!status && rand() < rate) {
        const r = rand();
        status = r < 0.55 ? 'sick' : r < 0.92 ? 'personal' : 'truant';
      }
      if (!status) continue;
      absentIn.add(s.classId);
      const by = teacherOf.get(s.classId);
      if (by === undefined) continue;
      pending.push({ studentId: s.id, date: day, status, reportedById: by, chatRef: groupRef(s.classId), recordedAt: at(day) });
      marks++;
      await flush();
    }
    const allPresent = classIds.filter((c) => !absentIn.has(c) && !(last && silent.has(c)));
    for (let k = 0; k < allPresent.length; k += CHUNK) {
      await db.classAttendance.createMany({
        data: allPresent
          .slice(k, k + CHUNK)
          .map((c) => ({ classId: c, date: day, reportedById: teacherOf.get(c)!, chatRef: groupRef(c), recordedAt: at(day) })),
      });
    }
    classDays += allPresent.length;
  }
  await flush(true);
  // The bot seals every record in the transaction that writes it; rows written here in bulk are sealed now, so the
  // measured operations pay only their own sealing, not the term's backlog.
  await sealAll(db);
  // A term's marks accumulate over months, during which PostgreSQL's autovacuum keeps the planner's statistics current;
  // written here at once, they are refreshed as it would have.
  await refreshPlannerStatistics(db);
  return { days: days.length, marks, classDays, streaks: streakDays.size, groups: teachers.length };
}
