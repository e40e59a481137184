/** Parsing of command arguments as teachers type them: names, leave kinds, dates. */
import type { AttendanceStatus, DateStr } from '../domain/types.js';
import { addDays } from '../domain/calendar.js';
import { ATTENDANCE_SET, readLabel } from '../domain/labels.js';

/** A mark's label or synonym (the domain's ATTENDANCE_SYNONYMS, one source) → the mark. */
export function statusWord(token: string): AttendanceStatus | undefined {
  return readLabel(ATTENDANCE_SET, token);
}

/** 今天/昨天/前天, 2026-11-20, 11-20, 11/20, 11月20日 → date, relative to today. */
export function dateWord(token: string, today: DateStr): DateStr | undefined {
  if (/^(今天|今日|today)$/i.test(token)) return today;
  if (/^(昨天|昨日|yesterday)$/i.test(token)) return addDays(today, -1);
  if (token === '前天') return addDays(today, -2);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  const year = Number(today.slice(0, 4));
  let y = year;
  let mo: number;
  let d: number;
  if (m) {
    y = Number(m[1]);
    mo = Number(m[2]);
    d = Number(m[3]);
  } else if ((m = /^(\d{1,2})[-/](\d{1,2})$/.exec(token)) || (m = /^(\d{1,2})月(\d{1,2})[日号]?$/.exec(token))) {
    mo = Number(m[1]);
    d = Number(m[2]);
  } else return undefined;
  const iso = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.getUTCDate() !== d) return undefined;
  // "12-28" typed in early January means last year.
  if (!/^\d{4}-/.test(token) && iso > addDays(today, 30)) return `${y - 1}${iso.slice(4)}`;
  return iso;
}

export function tokens(args: string): string[] {
  return args
    .split(/[\s,，、;；]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export interface AbsenceItem {
  name: string;
  status: AttendanceStatus;
  /** No reason was given: recorded as 旷课 until corrected. */
  unstated: boolean;
}

/** `张三 病假 李四 王五 旷课 赵六 昨天` → items (a status applies to the names before it) and a date. */
export function parseAbsenceList(args: string, today: DateStr): { items: AbsenceItem[]; date?: DateStr } {
  const items: AbsenceItem[] = [];
  let pending: string[] = [];
  let date: DateStr | undefined;
  for (const t of tokens(args)) {
    const st = statusWord(t);
    const dt = st ? undefined : dateWord(t, today);
    if (st) {
      for (const name of pending) items.push({ name, status: st, unstated: false });
      pending = [];
    } else if (dt) date = dt;
    else pending.push(t.replace(/[（(].*$/, ''));
  }
  for (const name of pending) items.push({ name, status: 'truant', unstated: true });
  return { items, ...(date ? { date } : {}) };
}
