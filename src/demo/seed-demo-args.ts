/** `seed-demo [--students N] [--seed N] [--out 目录]`: reads the flags, or says what is wrong with an example. */
import { MAX_STUDENTS, MIN_STUDENTS } from './county-plan.js';
import type { GenerateOptions } from './generated-county.js';

export type SeedDemoArgs = { ok: true; size?: GenerateOptions; out?: string } | { ok: false; error: string };

const EXAMPLE = '示例：npm run cli -- seed-demo --students 60000 --seed 7 --out county-60k';

export function parseSeedDemoArgs(rest: string[]): SeedDemoArgs {
  const flags = new Map<string, string | undefined>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i]!, rest[i + 1]];
    if (!['--students', '--seed', '--out', '--now'].includes(flag)) return { ok: false, error: `seed-demo 不认识“${flag}”。${EXAMPLE}` };
    if (value === undefined || value.startsWith('--')) return { ok: false, error: `${flag} 后面缺少值。${EXAMPLE}` };
    flags.set(flag, value);
  }
  const whole = (flag: string) => (flags.has(flag) && /^\d+$/.test(flags.get(flag)!) ? Number(flags.get(flag)) : undefined);
  const students = whole('--students');
  if (flags.has('--students') && (students === undefined || students < MIN_STUDENTS || students > MAX_STUDENTS)) {
    return { ok: false, error: `--students 应为 ${MIN_STUDENTS}–${MAX_STUDENTS} 之间的整数，收到“${flags.get('--students')}”。${EXAMPLE}` };
  }
  const seed = whole('--seed');
  if (flags.has('--seed') && seed === undefined) return { ok: false, error: `--seed 应为非负整数，收到“${flags.get('--seed')}”。${EXAMPLE}` };
  if (seed !== undefined && students === undefined) return { ok: false, error: `--seed 只用于生成的县，须同时给出 --students。${EXAMPLE}` };
  const out = flags.get('--out');
  return { ok: true, ...(students !== undefined ? { size: { students, ...(seed !== undefined ? { seed } : {}) } } : {}), ...(out ? { out } : {}) };
}
