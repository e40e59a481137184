/** Composition of the core: config + clock + database → dependencies and the message handler. */
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createSchoolCalendar } from './domain/calendar.js';
import { DEFAULT_TARGETS, type Targets } from './domain/rates.js';
import type { AbsencePolicy } from './domain/absence.js';
import { openDatabase } from './store/prisma.js';
import type { Deps } from './services/deps.js';
import { watchReopenings } from './services/month-reopen.js';

export function policyFrom(c: Config): AbsencePolicy {
  return {
    callAfterDays: c.ABSENCE_CALL_AFTER_DAYS,
    jointVisitAfterDays: c.ABSENCE_JOINT_VISIT_AFTER_DAYS,
    suspectedDropoutAfterDays: c.ABSENCE_SUSPECTED_AFTER_DAYS,
    chronicAbsenceRatio: c.CHRONIC_ABSENCE_RATIO,
  };
}

export function targetsFrom(c: Config): Targets {
  return {
    ...DEFAULT_TARGETS,
    primaryDropoutMax: c.TARGET_PRIMARY_DROPOUT_MAX,
    juniorDropoutMax: c.TARGET_JUNIOR_DROPOUT_MAX,
    consolidationMin: c.TARGET_CONSOLIDATION_MIN,
    primaryEnrolmentMin: c.TARGET_PRIMARY_ENROLMENT_MIN,
    juniorGrossEnrolmentMin: c.TARGET_JUNIOR_GROSS_ENROLMENT_MIN,
  };
}

export async function createDeps(config: Config, clock: Clock): Promise<Deps> {
  const db = await openDatabase(config.DATABASE_URL);
  const calendar = createSchoolCalendar({
    terms: config.TERMS,
    vacations: config.VACATIONS,
    extraHolidays: config.EXTRA_HOLIDAYS,
    extraSchoolDays: config.EXTRA_SCHOOL_DAYS,
  });
  const deps: Deps = { db, clock, config, calendar, policy: policyFrom(config), targets: targetsFrom(config) };
  // A record changed in a month already confirmed reopens it (detected where records are sealed).
  watchReopenings(deps);
  return deps;
}
