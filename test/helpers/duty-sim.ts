/** Plays days of duties on a test app with its manual clock: events at local times, a tick every step. */
import { createDutyRunner, type DutyRunner } from '../../src/duties/runner.js';
import { ALL_DUTIES } from '../../src/duties/index.js';
import { localParts } from '../../src/domain/zoned-time.js';
import type { TestApp } from './app.js';
import type { Db } from '../../src/store/prisma.js';

export type Events = Map<string, () => Promise<void>>;

/** Shanghai local "YYYY-MM-DD HH:mm" → instant. */
export const local = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
export const label = (d: Date) => {
  const p = localParts(d, 'Asia/Shanghai');
  return `${p.date.slice(5)} ${String(Math.floor(p.minutes / 60)).padStart(2, '0')}:${String(p.minutes % 60).padStart(2, '0')}`;
};

export function runnerFor(app: TestApp, log: string[] = []): DutyRunner {
  return createDutyRunner(app.deps, ALL_DUTIES, (l) => log.push(l));
}

/**
 * From `from` (exclusive) to `to` (inclusive) in steps: at each step the clock moves, the events scheduled for that
 * local time happen (as people typing), duties run, and the outbox is delivered through the console.
 */
export async function play(app: TestApp, runner: DutyRunner, from: string, to: string, events: Events = new Map(), stepMinutes = 30): Promise<void> {
  const end = local(to).getTime();
  for (let t = local(from).getTime() + stepMinutes * 60_000; t <= end; t += stepMinutes * 60_000) {
    app.clock.set(new Date(t));
    const key = label(new Date(t));
    const ev = events.get(key);
    if (ev) await ev();
    await runner.tick();
    await app.session.flush();
  }
}

export interface Sent {
  at: string;
  kind: string;
  to: string;
}

/** What the bot sent by itself (everything but replies), as "MM-DD HH:mm kind → staffId or group". */
export async function dutyMessages(db: Db): Promise<Sent[]> {
  const rows = await db.outbox.findMany({ where: { kind: { not: 'reply' } }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ at: label(r.createdAt), kind: r.kind, to: r.chatRef.replace(/^console:(dm|group):/, '') }));
}

export const line = (s: Sent) => `${s.at} ${s.kind} → ${s.to}`;
