/**
 * The operations measured on a prepared county, each through the code path users and the scheduler take:
 * 情况 through the router as the person asking (console session, reply delivered), duties through the real runner
 * (an installing tick just before the scheduled time, then the measured tick just after it: due + every item run
 * in its ledger transaction), monthly forms through the same function the CLI's `report` uses.
 * `setup` is not measured; `run` is.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ManualClock } from '../../src/clock.js';
import type { Deps } from '../../src/services/deps.js';
import type { Duty } from '../../src/duties/types.js';
import { ConsoleSession } from '../../src/console/session.js';
import { createDutyRunner, type TickResult } from '../../src/duties/runner.js';
import { attendanceReminder, twoDayCheck } from '../../src/duties/daily.duty.js';
import { weeklyPrompt } from '../../src/duties/weekly-count.duty.js';
import { monthlyReportFiles, type ReportUnit } from '../../src/reports/monthly-report-file.js';
import { MEASURED_DAY } from './term-attendance.js';

export type Detail = Record<string, string | number>;
export interface Operation {
  name: string;
  /** The target at 60,000 students, in seconds, when it sets one. */
  targetSeconds?: number;
  setup(deps: Deps, clock: ManualClock): Promise<() => Promise<Detail>>;
}

const local = (time: string) => `${MEASURED_DAY}T${time}+08:00`;

/** The biggest town and school by pupils, and who speaks for each. */
async function biggest(deps: Deps) {
  const students = await deps.db.student.findMany({ select: { class: { select: { school: { select: { id: true, townId: true } } } } } });
  const top = (key: (s: (typeof students)[number]) => number) => {
    const n = new Map<number, number>();
    for (const s of students) n.set(key(s), (n.get(key(s)) ?? 0) + 1);
    return [...n].sort((a, b) => b[1] - a[1])[0]!;
  };
  const [schoolId, schoolPupils] = top((s) => s.class.school.id);
  const [townId, townPupils] = top((s) => s.class.school.townId);
  return { schoolId, schoolPupils, townId, townPupils };
}

function status(name: string, role: 'county' | 'town' | 'principal', targetSeconds?: number): Operation {
  return {
    name,
    ...(targetSeconds ? { targetSeconds } : {}),
    async setup(deps, clock) {
      clock.set(local('17:30:00'));
      const b = await biggest(deps);
      const where = role === 'county' ? {} : role === 'town' ? { townId: b.townId } : { schoolId: b.schoolId };
      const person = await deps.db.person.findFirstOrThrow({ where: { role, ...where }, orderBy: { id: 'asc' } });
      const session = new ConsoleSession(deps);
      await session.start();
      // A running bot has answered before: the first question of the process (module loading, Prisma's first
      // compilation of each query) is timed separately and reported as `coldSeconds`.
      const t0 = performance.now();
      await session.say(person.staffId, 'dm', '情况').catch(() => undefined); // a failure shows in the measured call
      const coldSeconds = ((performance.now() - t0) / 1000).toFixed(2);
      return async () => {
        const { result, delivered } = await session.say(person.staffId, 'dm', '情况');
        const reply = delivered.map((d) => d.text).join('\n');
        if (result?.handled !== 'command') throw new Error(`情况 was ${result?.handled ?? 'not handled'}: ${reply.slice(0, 120)}`);
        return {
          asked: `${person.staffId} (${role})`,
          coldSeconds,
          pupils: role === 'county' ? 'all' : role === 'town' ? b.townPupils : b.schoolPupils,
          replyChars: reply.length,
        };
      };
    },
  };
}

function duty(name: string, d: Duty, time: string, targetSeconds: number): Operation {
  return {
    name,
    targetSeconds,
    async setup(deps, clock) {
      const runner = createDutyRunner(deps, [d]);
      clock.set(new Date(new Date(local(`${time}:00`)).getTime() - 60_000));
      await runner.tick(); // installs the ledger; nothing is due yet
      clock.set(new Date(new Date(local(`${time}:00`)).getTime() + 30_000));
      return async () => {
        const r: TickResult = await runner.tick();
        if (r.failed.length) throw new Error(`${r.failed.length} item(s) failed, first ${r.failed[0]!.key}: ${r.failed[0]!.error.slice(0, 200)}`);
        return { items: r.ran.length, sent: r.ran.filter((x) => x.outcome === 'sent').length, messages: r.ran.reduce((n, x) => n + x.messages, 0) };
      };
    },
  };
}

function form(name: string, unit: 'county' | 'school', targetSeconds?: number): Operation {
  return {
    name,
    ...(targetSeconds ? { targetSeconds } : {}),
    async setup(deps, clock) {
      clock.set(local('18:00:00'));
      const b = await biggest(deps);
      const u: ReportUnit = unit === 'county' ? { kind: 'county' } : { kind: 'school', schoolId: b.schoolId };
      return async () => {
        const file = await monthlyReportFiles(deps, deps.db, u, MEASURED_DAY.slice(0, 7), MEASURED_DAY, ['xlsx']);
        return { title: file.model.title, ...(unit === 'school' ? { pupils: b.schoolPupils } : {}), xlsxBytes: fs.statSync(file.attachments[0]!.path).size };
      };
    },
  };
}

export const OPERATIONS: readonly Operation[] = [
  status('情况 county', 'county', 1),
  status('情况 town', 'town'),
  status('情况 school', 'principal'),
  duty('two-day check 17:00', twoDayCheck, '17:00', 1),
  duty('attendance reminder 17:00', attendanceReminder, '17:00', 1),
  duty('weekly prompt fan-out', weeklyPrompt, '15:00', 2),
  form('monthly form county', 'county', 5),
  form('monthly form school', 'school'),
];
