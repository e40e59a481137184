/**
 * Declared, typed command arguments. A command declares what it takes (student, person, unit, date, label from the
 * domain's sets, number, percentage, month, quarter, year, 学籍号, free text), each optional or repeated; `readArgs`
 * is the one place that reads the text against the declaration, resolves what needs the database, and refuses —
 * with the reason and the command's example — on anything wrong. `parseArgs` is its pure, never-throwing half.
 */
import type { Ctx } from './context.js';
import { refuse } from './context.js';
import { dateWord } from './parse-args.js';
import { checkAttendanceDate, resolveStudent } from './resolve.js';
import { labelChoices, readLabelWithDetail, type LabelSet } from '../domain/labels.js';
import { parsePercent } from '../domain/rates.js';
import type { DateStr } from '../domain/types.js';
import type { PersonRow, StudentFull } from '../store/org.repository.js';
import { placeOf } from '../services/rates-import.js';
import { unitByName } from '../roster/rates-tables.js';
import { personByStaffId as personWithStaffId } from '../store/person.repository.js';

interface Common {
  /** The key of the value in the result. */
  name: string;
  /** What it is called in a refusal: 学生姓名, 返校期限 … */
  title: string;
  optional?: boolean;
  /** Takes consecutive tokens while they fit (at least one unless optional, at most max). */
  repeated?: { max: number };
  /** Where it may stand: in order (default), anywhere (the first token that fits), or last. */
  at?: 'any' | 'end';
  /** Reason when it is missing (default: 请写<title>。). */
  missing?: string;
  /** Reason when a word does not fit (default: says what is expected, the choices for a label). */
  invalid?: string;
  /** Example for this argument's refusals (default: the command's). */
  example?: string;
}

export type ArgSpec =
  | (Common & { kind: 'student' })
  | (Common & { kind: 'person' })
  | (Common & { kind: 'unit' })
  | (Common & { kind: 'studentNo' })
  | (Common & { kind: 'date'; notFuture?: string; attendance?: boolean })
  | (Common & { kind: 'label'; set: LabelSet })
  | (Common & { kind: 'number'; min?: number; max?: number; hash?: boolean })
  | (Common & { kind: 'percent' })
  | (Common & { kind: 'month'; notFuture?: boolean })
  | (Common & { kind: 'quarter' })
  | (Common & { kind: 'year' })
  | (Common & { kind: 'text'; raw?: boolean; max?: number });

export type ArgKind = ArgSpec['kind'];

/** A label with the explanation typed after its colon, if any. */
export interface LabelValue<K extends string = string> {
  value: K;
  detail?: string;
}

type Resolved<A> = A extends { kind: 'student' }
  ? StudentFull
  : A extends { kind: 'person' }
    ? PersonRow
    : A extends { kind: 'unit' }
      ? { unitKind: 'town' | 'school'; unitId: number; name: string }
      : A extends { kind: 'label'; set: LabelSet<infer K> }
        ? LabelValue<K>
        : A extends { kind: 'number' | 'percent' }
          ? number
          : string;

type One<A> = A extends { repeated: object } ? Resolved<A>[] : A extends { optional: true } ? Resolved<A> | undefined : Resolved<A>;

export type ArgValues<S extends readonly ArgSpec[]> = { [A in S[number] as A['name']]: One<A> };

/** What parseArgs reads before the database: tokens, dates, labels and numbers, untouched names. */
export type Parsed = Record<string, unknown>;
export type ParseResult = { ok: true; values: Parsed } | { ok: false; reason: string; example?: string };

const SEP = /[^\s,，、;；]+/g;
const shown = (w: string) => (w.length > 20 ? `${w.slice(0, 20)}…` : w);

/** One token read as the argument, or undefined when it does not fit (a syntactic check only). */
function readToken(a: ArgSpec, w: string, today: DateStr): unknown {
  switch (a.kind) {
    case 'student':
    case 'person':
    case 'unit':
      return w;
    case 'studentNo':
      return /^[A-Za-z]?\d{6,}$/.test(w) ? w : undefined;
    case 'date':
      return dateWord(w, today);
    case 'label':
      return readLabelWithDetail(a.set, w);
    case 'number': {
      const m = (a.hash ? /^#?(\d{1,12})$/ : /^(\d{1,12})$/).exec(w);
      const n = m ? Number(m[1]) : NaN;
      return Number.isFinite(n) && n >= (a.min ?? 0) && n <= (a.max ?? 2_147_483_647) ? n : undefined;
    }
    case 'percent':
      return parsePercent(w);
    case 'month': {
      const m = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(w);
      return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2]!.padStart(2, '0')}` : undefined;
    }
    case 'quarter': {
      const m = /^(\d{4})[Qq]([1-4])$/.exec(w);
      return m ? `${m[1]}Q${m[2]}` : undefined;
    }
    case 'year':
      return /^\d{4}$/.test(w) ? w : undefined;
    case 'text':
      return w;
  }
}

/** "厌学、贫困…，或 其他:具体原因": a set's labels; one that takes an explanation offers 其他 with it. */
function choices(a: Extract<ArgSpec, { kind: 'label' }>): string {
  return a.set.detail ? `${labelChoices(a.set, ['other'])}，或 其他:具体${a.title}` : labelChoices(a.set);
}

/** Why a token does not fit (the choices for a label). */
function whyNot(a: ArgSpec, w: string): string {
  if (a.invalid) return a.invalid;
  switch (a.kind) {
    case 'label':
      return `不认识${a.title}“${shown(w)}”。可选：${choices(a)}。`;
    case 'date':
      return `${a.title}“${shown(w)}”看不懂，请写成 今天、昨天、11-20 或 11月20日。`;
    case 'number':
      return `${a.title}“${shown(w)}”不对，应为${a.min !== undefined || a.max !== undefined ? ` ${a.min ?? 0}–${a.max ?? ''} 之间的` : ''}整数。`;
    case 'percent':
      return `${a.title}“${shown(w)}”不对：应为 0%–100% 的百分数，带 % 号。`;
    case 'month':
      return `${a.title}“${shown(w)}”看不懂，请写成“年-月”${a.optional ? '，不写就是本月' : '，如 2026-11'}。`;
    case 'quarter':
      return `“${shown(w)}”不是季度，请写成 2026Q4。`;
    case 'year':
      return `“${shown(w)}”不是学年，学年写开始的年份，如 2026。`;
    case 'studentNo':
      return `“${shown(w)}”不是学籍号：请写学生的学籍号（全号，或后六位以上）。`;
    default:
      return `${a.title}“${shown(w)}”不对。`;
  }
}

/**
 * Reads the text against the declaration, with no database: never throws. Arguments marked `at: 'any'` or
 * `at: 'end'` are taken out first; the rest go in order; free text takes the rest of the line; anything left over is
 * refused.
 */
export function parseArgs(spec: readonly ArgSpec[], text: string, today: DateStr): ParseResult {
  const toks = [...text.matchAll(SEP)].map((m) => ({ w: m[0], at: m.index ?? 0 }));
  const values: Parsed = {};
  const fail = (a: ArgSpec | undefined, reason: string): ParseResult => ({ ok: false, reason, ...(a?.example ? { example: a.example } : {}) });
  // Floating arguments first.
  for (const a of spec) {
    if (a.at === 'end') {
      const last = toks.at(-1);
      const v = last && toks.length > 1 ? readToken(a, last.w, today) : undefined;
      if (v !== undefined) toks.pop();
      values[a.name] = v;
    } else if (a.at === 'any') {
      const i = toks.findIndex((t) => readToken(a, t.w, today) !== undefined);
      values[a.name] = i >= 0 ? readToken(a, toks[i]!.w, today) : undefined;
      // Every token that fits is taken out (`休学 张三 昨天 今天` reads the first date).
      for (let j = toks.length - 1; j >= 0; j--) if (readToken(a, toks[j]!.w, today) !== undefined) toks.splice(j, 1);
    }
    if (a.at && values[a.name] === undefined && !a.optional) return fail(a, a.missing ?? `请写${a.title}。`);
  }
  let i = 0;
  const skipped: { a: ArgSpec; i: number }[] = [];
  for (const a of spec) {
    if (a.at) continue;
    if (a.kind === 'text') {
      const rest = toks.slice(i);
      i = toks.length;
      // As typed (punctuation kept) unless a floating argument was taken from inside it.
      const first = rest[0];
      const end = rest.length ? rest.at(-1)!.at + rest.at(-1)!.w.length : 0;
      const whole = first !== undefined && [...text.slice(first.at, end).matchAll(SEP)].length === rest.length;
      let v = a.raw && whole ? text.slice(first.at, end).trim() : rest.map((t) => t.w).join(' ');
      if (a.max !== undefined) v = v.slice(0, a.max);
      if (!v && !a.optional) return fail(a, a.missing ?? `请写${a.title}。`);
      values[a.name] = v || undefined;
      continue;
    }
    if (a.repeated) {
      const got: unknown[] = [];
      while (i < toks.length) {
        const v = readToken(a, toks[i]!.w, today);
        if (v === undefined) break;
        got.push(v);
        i++;
      }
      if (got.length === 0 && !a.optional) return fail(a, i < toks.length ? whyNot(a, toks[i]!.w) : (a.missing ?? `请写${a.title}。`));
      if (got.length > a.repeated.max) return fail(a, `一次最多写 ${a.repeated.max} 个${a.title}。`);
      if (i < toks.length) skipped.push({ a, i });
      values[a.name] = got;
      continue;
    }
    const t = toks[i];
    let v = t ? readToken(a, t.w, today) : undefined;
    let used = 1;
    // `2026年 11月`, `2026 - 11`: a month may be typed across a few words.
    for (let n = 2; a.kind === 'month' && v === undefined && n <= 3 && i + n <= toks.length; n++) {
      v = readToken(
        a,
        toks
          .slice(i, i + n)
          .map((x) => x.w)
          .join(''),
        today,
      );
      used = n;
    }
    if (v !== undefined) {
      values[a.name] = v;
      i += used;
    } else if (a.optional) {
      values[a.name] = undefined;
      if (t) skipped.push({ a, i });
    } else return fail(a, t ? whyNot(a, t.w) : (a.missing ?? `请写${a.title}。`));
  }
  // A word left over where an optional argument could stand: say why it is not one.
  const near = skipped.find((x) => x.i === i);
  if (i < toks.length && near) return fail(near.a, whyNot(near.a, toks[i]!.w));
  if (i < toks.length)
    return fail(
      undefined,
      `看不懂“${shown(
        toks
          .slice(i)
          .map((t) => t.w)
          .join(' '),
      )}”，请按示例写。`,
    );
  return { ok: true, values };
}

/**
 * The one place a command's text becomes its typed arguments: parsed, then resolved in the sender's scope (students,
 * people, units) and checked (dates, months); any failure refuses with the reason and the example.
 */
export async function readArgs<const S extends readonly ArgSpec[]>(ctx: Ctx, spec: S, text: string, example: string): Promise<ArgValues<S>> {
  const p = parseArgs(spec, text, ctx.today);
  if (!p.ok) refuse(p.reason, p.example ?? example);
  const out: Parsed = { ...p.values };
  for (const a of spec) {
    const v = out[a.name];
    if (v === undefined) continue;
    const ex = a.example ?? example;
    const each = async (x: unknown): Promise<unknown> => {
      switch (a.kind) {
        case 'student':
          return resolveStudent(ctx, x as string, ex);
        case 'person':
          return personByStaffId(ctx, x as string, ex);
        case 'unit': {
          const u = unitByName(await placeOf(ctx.tx), x as string);
          if ('error' in u) refuse(`${u.error}。`, ex);
          return { ...u, name: x as string };
        }
        case 'date':
          if (a.attendance) checkAttendanceDate(ctx, x as DateStr, ex);
          else if (a.notFuture && (x as DateStr) > ctx.today) refuse(a.notFuture, ex);
          return x;
        case 'month': {
          const thisMonth = ctx.today.slice(0, 7);
          if (a.notFuture && (x as string) > thisMonth) refuse(`${x as string} 还没有到，不能是未来的月份。`, ex);
          return x;
        }
        default:
          return x;
      }
    };
    out[a.name] = Array.isArray(v) ? await Promise.all(v.map(each)) : await each(v);
  }
  return out as ArgValues<S>;
}

/** An active person by 工号 (case ignored); refuses otherwise. Scope is the command's to check (it knows for what). */
async function personByStaffId(ctx: Ctx, h: string, example: string): Promise<PersonRow> {
  const p = (await personWithStaffId(ctx.tx, h)) ?? (h !== h.toUpperCase() ? await personWithStaffId(ctx.tx, h.toUpperCase()) : null);
  if (!p || !p.active) refuse(`没有工号为“${shown(h)}”的在职人员。请写花名册里的工号（可发“我是谁”查看自己的）。`, example);
  return p;
}

/** "原因：厌学、贫困…；结果：…" — the accepted labels of a declaration, for help. */
export function acceptedLabels(spec: readonly ArgSpec[] | undefined): string {
  if (!spec) return '';
  return spec
    .filter((a): a is Extract<ArgSpec, { kind: 'label' }> => a.kind === 'label')
    .map((a) => `${a.title}：${choices(a)}`)
    .join('；');
}
