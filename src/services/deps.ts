/** What the application services need: injected, never global. */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { SchoolCalendar } from '../domain/calendar.js';
import type { AbsencePolicy } from '../domain/absence.js';
import type { Targets } from '../domain/rates.js';
import type { Db } from '../store/prisma.js';

export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
  calendar: SchoolCalendar;
  policy: AbsencePolicy;
  targets: Targets;
}
