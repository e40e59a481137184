/**
 * The quarterly unannounced inspection draw (季度不定期抽查), as a commitment scheme. Pure: the seed is an argument.
 * - The draw is derived deterministically from a random seed and the sorted candidates (school days of the quarter
 *   still ahead, schools and their classes), so anyone holding the seed and the candidates can re-derive it.
 * - The commitment is sha256(canonical payload JSON + seed). It is announced when drawing; seed and payload are
 *   revealed after the visits, and verification recomputes both the commitment and the draw.
 */
import { createHash } from 'node:crypto';
import type { DateStr } from './types.js';

export interface CandidateSchool {
  id: number;
  name: string;
  classes: { id: number; name: string }[];
}

export interface Candidates {
  days: DateStr[];
  schools: CandidateSchool[];
}

export interface DrawParams {
  quarter: string;
  schools: number;
  classesPerSchool: number;
}

export interface DrawnSchool {
  schoolId: number;
  schoolName: string;
  date: DateStr;
  classes: { classId: number; className: string }[];
}

export interface DrawPayload {
  version: 1;
  params: DrawParams;
  candidates: Candidates;
  draw: DrawnSchool[];
}

/** 2026Q4 → its first and last day. */
export function quarterRange(quarter: string): { start: DateStr; end: DateStr } | undefined {
  const m = /^(\d{4})Q([1-4])$/i.exec(quarter.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const q = Number(m[2]);
  const startMonth = (q - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  const mm = (n: number) => String(n).padStart(2, '0');
  return { start: `${year}-${mm(startMonth)}-01`, end: `${year}-${mm(endMonth)}-${mm(lastDay)}` };
}

/** The quarter a day falls in: 2026-11-23 → 2026Q4. */
export function quarterOf(d: DateStr): string {
  return `${d.slice(0, 4)}Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function commitmentOf(payloadJson: string, seedHex: string): string {
  return createHash('sha256')
    .update(payloadJson + seedHex, 'utf8')
    .digest('hex');
}

/** A deterministic stream of uniform integers from the seed: sha256(seed:block) blocks, rejection sampling. */
function randomFrom(seedHex: string): (n: number) => number {
  let block = 0;
  let words: number[] = [];
  const next32 = (): number => {
    if (words.length === 0) {
      const h = createHash('sha256').update(`${seedHex}:${block++}`).digest();
      for (let i = 0; i < 32; i += 4) words.push(h.readUInt32BE(i));
    }
    return words.shift()!;
  };
  return (n: number) => {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const x = next32();
      if (x < limit) return x % n;
    }
  };
}

/** k distinct items of a list (partial Fisher–Yates), in the order drawn. */
function pick<T>(rand: (n: number) => number, items: readonly T[], k: number): T[] {
  const a = [...items];
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rand(a.length - i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/** Candidates in their one canonical order: days ascending, schools and classes by id. */
export function sortCandidates(c: Candidates): Candidates {
  return {
    days: [...c.days].sort(),
    schools: [...c.schools]
      .sort((a, b) => a.id - b.id)
      .map((s) => ({ id: s.id, name: s.name, classes: [...s.classes].sort((a, b) => a.id - b.id).map((k) => ({ id: k.id, name: k.name })) })),
  };
}

/** The draw the seed gives over these candidates: schools (those with classes), a school day each, classes each. */
export function deriveDraw(seedHex: string, candidates: Candidates, params: DrawParams): DrawnSchool[] {
  const c = sortCandidates(candidates);
  if (c.days.length === 0) return [];
  const rand = randomFrom(seedHex);
  const schools = pick(
    rand,
    c.schools.filter((s) => s.classes.length > 0),
    params.schools,
  );
  return schools.map((s) => {
    const date = c.days[rand(c.days.length)]!;
    const classes = pick(rand, s.classes, params.classesPerSchool).sort((a, b) => a.id - b.id);
    return { schoolId: s.id, schoolName: s.name, date, classes: classes.map((k) => ({ classId: k.id, className: k.name })) };
  });
}

export function makeDraw(seedHex: string, params: DrawParams, candidates: Candidates): { payload: DrawPayload; json: string; commitment: string } {
  const sorted = sortCandidates(candidates);
  const payload: DrawPayload = { version: 1, params, candidates: sorted, draw: deriveDraw(seedHex, sorted, params) };
  const json = canonicalJson(payload);
  return { payload, json, commitment: commitmentOf(json, seedHex) };
}

/**
 * Problems found when checking a stored or published draw, in zh-CN; empty when it verifies.
 * `announced` is the commitment as it was told to the towns when drawing, if the checker has it.
 */
export function verifyDraw(v: { quarter: string; payloadJson: string; seed: string; commitment: string; announced?: string }): string[] {
  const problems: string[] = [];
  if (!/^[0-9a-f]{64}$/.test(v.seed)) problems.push('随机种子格式不对（应为 64 位十六进制）。');
  if (commitmentOf(v.payloadJson, v.seed) !== v.commitment) problems.push('承诺值与“抽签内容 + 随机种子”重新计算的结果不一致：抽签内容或种子被改动过。');
  if (v.announced !== undefined && v.announced.toLowerCase() !== v.commitment)
    problems.push(`数据库中的承诺值 ${v.commitment} 与抽签时公布的 ${v.announced} 不一致。`);
  let payload: DrawPayload;
  try {
    payload = JSON.parse(v.payloadJson) as DrawPayload;
  } catch {
    return [...problems, '抽签内容不是有效的 JSON。'];
  }
  if (canonicalJson(payload) !== v.payloadJson) problems.push('抽签内容不是规范格式（键的顺序或空白被改动过）。');
  if (payload.params?.quarter !== v.quarter) problems.push(`抽签内容写的季度是 ${payload.params?.quarter}，不是 ${v.quarter}。`);
  const again = canonicalJson(deriveDraw(v.seed, payload.candidates ?? { days: [], schools: [] }, payload.params));
  if (again !== canonicalJson(payload.draw)) problems.push('用随机种子重新抽签，结果与记录的抽签结果不同：抽签结果被改动过。');
  return problems;
}
