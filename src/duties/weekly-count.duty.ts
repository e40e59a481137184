/**
 * 班级每周一统计: the prompt to every bound class group, one reminder to the class teacher of each class that has
 * not answered, and at the cut-off the principal is told which classes are still missing. All on the same school day.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueBatch, DueItem } from './types.js';
import type { Tx } from '../store/prisma.js';
import { dutyKey } from './types.js';
import { at, localDates, weeklyDay, weeksOf } from './when.js';
import { activeByPlace, boundGroupsByClass, classesCountedIn, classesWithTeachers, type ClassRow } from '../store/duty.repository.js';
import { enqueueMany, type NewMessage } from '../store/outbox.repository.js';
import { directBatch, directSender } from '../services/direct-sender.js';
import { dayLabel } from '../services/format.js';
import { addDays } from '../domain/calendar.js';

const EXAMPLE = '应到45 实到44 病假1';

interface WeekSlot {
  week: string;
  day: string;
  promptAt: Date;
  reminderAt: Date;
  cutoffAt: Date;
}

/** The week's slots whose chosen instant lies in the window. */
function slots(deps: Deps, window: { from: Date; to: Date }, pick: (s: WeekSlot) => Date): WeekSlot[] {
  const tz = deps.config.TIMEZONE;
  const { weekday, minutes } = deps.config.WEEKLY_PROMPT_AT;
  const out: WeekSlot[] = [];
  for (const { week, monday } of weeksOf(localDates(window.from, window.to, tz))) {
    const day = weeklyDay(deps.calendar, monday, weekday, 'before');
    if (!day) continue;
    const s = {
      week,
      day,
      promptAt: at(day, minutes, tz),
      reminderAt: at(day, minutes + Math.round(deps.config.WEEKLY_REMINDER_AFTER_HOURS * 60), tz),
      cutoffAt: at(day, deps.config.WEEKLY_CUTOFF_AT, tz),
    };
    const t = pick(s);
    if (t > window.from && t <= window.to) out.push(s);
  }
  return out;
}

const weekNo = (week: string) => Number(week.slice(-2));

/** Items of one slot run in batches: the week's counted classes are read once per batch, not once per item. */
function batched<T>(
  items: { key: string; of: T }[],
  run: (tx: Tx, list: readonly { key: string; of: T }[], counted: Set<number>) => Promise<Map<string, number>>,
  s: WeekSlot,
) {
  const byKey = new Map(items.map((i) => [i.key, i.of]));
  const go = async (tx: Tx, list: readonly { key: string; of: T }[]) => run(tx, list, await classesCountedIn(tx, s.week));
  const batch: DueBatch = {
    run: (tx, due) =>
      go(
        tx,
        due.map((d) => ({ key: d.key, of: byKey.get(d.key)! })),
      ),
  };
  return { batch, one: (key: string) => async (tx: Tx) => (await go(tx, [{ key, of: byKey.get(key)! }])).get(key) ?? 0 };
}

export const weeklyPrompt: Duty = {
  name: 'weekly_prompt',
  async due(deps, window) {
    const found = slots(deps, window, (s) => s.promptAt);
    if (found.length === 0) return [];
    const groups = await boundGroupsByClass(deps.db);
    const classes = await classesWithTeachers(deps.db);
    const items: DueItem[] = [];
    for (const s of found) {
      // A prompt missed until after the reminder time is not sent late as if new.
      const tooLate = window.to > s.reminderAt;
      const targets = classes.flatMap((c) =>
        (groups.get(c.id) ?? []).map((chatRef) => ({ key: dutyKey('weekly_prompt', s.week, `class:${c.id}:${chatRef}`), of: { c, chatRef } })),
      );
      const { batch, one } = batched(
        targets,
        async (tx, list, counted) => {
          const out = new Map<string, number>();
          const prompts: NewMessage[] = [];
          for (const {
            key,
            of: { c, chatRef },
          } of list) {
            if (counted.has(c.id)) continue;
            const text = [
              `📋 班级每周一统计（${dayLabel(s.day)}，第${weekNo(s.week)}周）`,
              `请${c.name}班主任在本群回复本班本周情况，例如：${EXAMPLE}`,
              '也可以这样写：应到45 缺2（病假1 事假1）。病假、事假请分开写；有旷课、辍学或返校的请一并写上，如：旷课1 辍学0 返校0。',
              '人数请写准确的数（不要写“四十来个”“三十多”）。全班都到校可直接回复：全勤（按学籍名册人数记录）。',
            ].join('\n');
            prompts.push({ chatRef, text, kind: 'duty:weekly_prompt', dutyKey: key });
            out.set(key, 1);
          }
          await enqueueMany(tx, deps.clock.now(), prompts);
          return out;
        },
        s,
      );
      for (const { key, of } of targets) {
        items.push({ key, duty: 'weekly_prompt', period: s.week, target: `class:${of.c.id}:${of.chatRef}`, dueAt: s.promptAt, tooLate, batch, run: one(key) });
      }
    }
    return items;
  },
};

export const weeklyReminder: Duty = {
  name: 'weekly_reminder',
  async due(deps, window) {
    const found = slots(deps, window, (s) => s.reminderAt);
    if (found.length === 0) return [];
    const classes = (await classesWithTeachers(deps.db)).filter((c) => c.teachers.length > 0);
    return found.flatMap((s) => {
      const targets = classes.map((c) => ({ key: dutyKey('weekly_reminder', s.week, `class:${c.id}`), of: c }));
      const { batch, one } = batched(
        targets,
        async (tx, list, counted) => {
          const todo = list.filter((x) => !counted.has(x.of.id));
          const batch = await directBatch(
            tx,
            deps.clock.now(),
            todo.flatMap((x) => x.of.teachers.map((t) => t.id)),
          );
          const out = new Map<string, number>();
          for (const { key, of: c } of todo) {
            const text = `⏰ 提醒：${c.school.name} ${c.name} 本周（第${weekNo(s.week)}周）班级统计还没有报。\n请在班级群回复，或在这里回复：周统计 ${EXAMPLE}`;
            for (const t of c.teachers) batch.add(t.id, text, { kind: 'duty:weekly_reminder', dutyKey: key });
            out.set(key, c.teachers.length);
          }
          await batch.flush();
          return out;
        },
        s,
      );
      return targets.map(
        ({ key, of: c }): DueItem => ({
          key,
          duty: 'weekly_reminder',
          period: s.week,
          target: `class:${c.id}`,
          dueAt: s.reminderAt,
          tooLate: window.to > s.cutoffAt,
          batch,
          run: one(key),
        }),
      );
    });
  },
};

export const weeklyCutoff: Duty = {
  name: 'weekly_cutoff',
  async due(deps, window) {
    const found = slots(deps, window, (s) => s.cutoffAt);
    if (found.length === 0) return [];
    const bySchool = new Map<number, ClassRow[]>();
    for (const c of await classesWithTeachers(deps.db)) bySchool.set(c.schoolId, [...(bySchool.get(c.schoolId) ?? []), c]);
    return found.flatMap((s) => {
      const targets = [...bySchool].map(([schoolId, classes]) => ({ key: dutyKey('weekly_cutoff', s.week, `school:${schoolId}`), of: { schoolId, classes } }));
      const { batch, one } = batched(
        targets,
        async (tx, list, counted) => {
          const todo = list.map((x) => ({ ...x, missing: x.of.classes.filter((c) => !counted.has(c.id)) })).filter((x) => x.missing.length > 0);
          const principals = await activeByPlace(
            tx,
            'principal',
            'schoolId',
            todo.map((x) => x.of.schoolId),
          );
          const send = await directSender(
            tx,
            deps.clock.now(),
            [...principals.values()].flat().map((p) => p.id),
          );
          const out = new Map<string, number>();
          for (const {
            key,
            of: { schoolId, classes },
            missing,
          } of todo) {
            const lines = missing.map((c) => `· ${c.name}${c.teachers.length ? `（班主任 ${c.teachers.map((t) => t.name).join('、')}）` : '（未设班主任）'}`);
            const text = [
              `📋 ${classes[0]!.school.name} 第${weekNo(s.week)}周班级统计：${classes.length} 个班中还有 ${missing.length} 个班没有报：`,
              ...lines,
              '请督促班主任今天补报。随时可以回复“情况”查看本校本周进度。',
            ].join('\n');
            const to = principals.get(schoolId) ?? [];
            for (const p of to) await send(p.id, text, { kind: 'duty:weekly_cutoff', dutyKey: key });
            out.set(key, to.length);
          }
          return out;
        },
        s,
      );
      return targets.map(
        ({ key, of: { schoolId } }): DueItem => ({
          key,
          duty: 'weekly_cutoff',
          period: s.week,
          target: `school:${schoolId}`,
          dueAt: s.cutoffAt,
          // still useful to the principal the next morning, not days later
          tooLate: window.to > at(addDays(s.day, 1), 12 * 60, deps.config.TIMEZONE),
          batch,
          run: one(key),
        }),
      );
    });
  },
};
