/** The declared command registry: words (zh first, en aliases), who may use it, where. */
import type { Role } from '../domain/types.js';
import type { Ctx } from './context.js';
import type { ArgSpec } from './args.js';

export interface CommandDef {
  id: string;
  /** Words that start the command; the first is shown in help. Matched without a leading slash, longest first. */
  words: string[];
  roles: readonly Role[] | 'all';
  where: 'dm' | 'group' | 'any';
  /** Does it change data (audited)? */
  mutates: boolean;
  summary: { zh: string; en: string };
  example: string;
  /** Declared arguments (read with `readArgs`); `帮助` lists their accepted labels. */
  args?: readonly ArgSpec[];
  run(ctx: Ctx, args: string): Promise<void>;
}

export const TEACHERS: readonly Role[] = ['class_teacher', 'subject_teacher'];

export interface Match {
  def: CommandDef;
  args: string;
}

/** Finds the command a message starts with. Returns undefined for plain text. */
export function matchCommand(defs: readonly CommandDef[], text: string): Match | undefined {
  const t = text.replace(/^[\/／]/, '').trim();
  const lower = t.toLowerCase();
  let best: Match | undefined;
  let bestLen = 0;
  for (const def of defs) {
    for (const w of def.words) {
      const wl = w.toLowerCase();
      if (!lower.startsWith(wl) || wl.length <= bestLen) continue;
      const rest = t.slice(w.length);
      const ascii = /^[a-z_]+$/i.test(w);
      // ASCII words must end at a word boundary ("help", not "helpful"); Chinese words need no space.
      if (ascii && rest.length > 0 && !/^[\s@]/.test(rest)) continue;
      best = { def, args: rest.replace(/^@\S+/, '').trim() };
      bestLen = wl.length;
    }
  }
  return best;
}
