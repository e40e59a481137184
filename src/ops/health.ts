/**
 * The operator's view, one read: database reachable, each platform connected, age of the last duty tick, outbox
 * backlog and its oldest due message, dead letters today. `ok` is false as soon as a teacher would notice.
 */
import type { Clock } from '../clock.js';
import { instantAt } from '../domain/zoned-time.js';
import { localDate } from '../clock.js';
import type { Db } from '../store/prisma.js';
import { databaseReachable, outboxHealth } from '../store/ops.repository.js';

/** Ticks come every minute: three missed ones mean the duty clock is stuck. */
export const TICK_STALE_SECONDS = 180;
/** A message due for this long has not gone out: delivery is stuck, or a platform is down. */
export const BACKLOG_STALE_SECONDS = 900;

export interface HealthSources {
  db: Db;
  clock: Clock;
  timeZone: string;
  /** Each configured platform and whether it is connected now. */
  platforms(): { platform: string; connected: boolean }[];
  /** When the duty runner last finished a tick (undefined: not yet). */
  lastTickAt(): Date | undefined;
  startedAt: Date;
}

export interface HealthReport {
  ok: boolean;
  problems: string[];
  database: boolean;
  platforms: Record<string, boolean>;
  lastTickAgeSeconds: number | null;
  outboxBacklog: number;
  oldestDueAgeSeconds: number | null;
  deadLettersToday: number;
}

export async function healthReport(s: HealthSources): Promise<HealthReport> {
  const now = s.clock.now();
  const problems: string[] = [];
  const database = await databaseReachable(s.db);
  if (!database) problems.push('database unreachable');
  const platforms = Object.fromEntries(s.platforms().map((p) => [p.platform, p.connected]));
  for (const [p, up] of Object.entries(platforms)) if (!up) problems.push(`${p} not connected`);
  const tick = s.lastTickAt();
  const lastTickAgeSeconds = tick ? Math.round((now.getTime() - tick.getTime()) / 1000) : null;
  const sinceStart = (now.getTime() - s.startedAt.getTime()) / 1000;
  if ((lastTickAgeSeconds ?? sinceStart) > TICK_STALE_SECONDS) problems.push(`no duty tick for ${lastTickAgeSeconds ?? Math.round(sinceStart)} s`);
  let outbox = { backlog: 0, oldestDueAt: null as Date | null, deadSince: 0 };
  if (database) {
    const dayStart = instantAt(localDate(now, s.timeZone), 0, s.timeZone);
    outbox = await outboxHealth(s.db, now, dayStart).catch(() => outbox);
  }
  const oldestDueAgeSeconds = outbox.oldestDueAt ? Math.max(0, Math.round((now.getTime() - outbox.oldestDueAt.getTime()) / 1000)) : null;
  if (oldestDueAgeSeconds !== null && oldestDueAgeSeconds > BACKLOG_STALE_SECONDS) problems.push(`oldest due message waiting ${oldestDueAgeSeconds} s`);
  return {
    ok: problems.length === 0,
    problems,
    database,
    platforms,
    lastTickAgeSeconds,
    outboxBacklog: outbox.backlog,
    oldestDueAgeSeconds,
    deadLettersToday: outbox.deadSince,
  };
}
