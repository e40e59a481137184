/** Wall-clock time in a county's timezone ↔ instants. Pure: instants are arguments, never read. */
import type { DateStr } from './types.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local date and minutes after local midnight of an instant. */
export function localParts(at: Date, timeZone: string): { date: DateStr; minutes: number } {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

function offsetMs(at: number, timeZone: string): number {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - (at - (at % 1000));
}

/** The instant at which the local clock in `timeZone` shows `date` and `minutes` after midnight. */
export function instantAt(date: DateStr, minutes: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone); // second pass settles offsets that change around the instant (DST zones)
  return new Date(t);
}

/** An instant as people read it: ISO 8601 in the zone's local time with its offset, e.g. 2026-11-20T08:00:00+08:00. */
export function localIso(at: Date, timeZone: string): string {
  const off = offsetMs(at.getTime(), timeZone);
  const wall = new Date(at.getTime() - (at.getTime() % 1000) + off).toISOString().slice(0, 19);
  const m = Math.abs(off) / 60_000;
  return `${wall}${off < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "HH:MM" of minutes after midnight. */
export function clockLabel(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Whether a local time falls in a window that may cross midnight ({start: 21:00, end: 07:00}). */
export function inWindow(minutes: number, w: { start: number; end: number }): boolean {
  return w.start < w.end ? minutes >= w.start && minutes < w.end : minutes >= w.start || minutes < w.end;
}
