/**
 * node-cron wakes the duty runner every minute (in the county's timezone) and once at start for catch-up.
 * The runner, not cron, decides what is due: it looks at the time passed since its last tick, so a slow tick,
 * a suspended laptop or a restart cannot make a scheduled time slip through.
 */
import cron from 'node-cron';
import type { DutyRunner, TickResult } from './runner.js';

export function startDutySchedule(
  runner: DutyRunner,
  timeZone: string,
  log: (line: string) => void,
  after?: (r: TickResult) => Promise<void> | void,
): { stop(): Promise<void> } {
  const tick = async () => {
    try {
      const r = await runner.tick();
      const sent = r.ran.filter((x) => x.outcome === 'sent');
      if (sent.length) log(`duties: ${sent.length} ran, ${sent.reduce((n, x) => n + x.messages, 0)} message(s) queued`);
      if (r.failed.length) log(`duties: ${r.failed.length} failed; they are retried with backoff (see DutyFailure)`);
      await after?.(r);
    } catch (e) {
      log(`duties: tick failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const task = cron.schedule('* * * * *', tick, { timezone: timeZone, noOverlap: true, name: 'duties' });
  void tick();
  return { stop: async () => void (await task.stop()) };
}
