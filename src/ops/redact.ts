/**
 * What must never reach a log line: platform tokens and secrets, and the names of students and guardians (minors'
 * data). Names are found by looking up every 2–4 character run of Chinese text in the set of known names, so the
 * cost is linear in the line, whatever the size of the county.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\b\d{5,}:[A-Za-z0-9_-]{20,}\b/g, // Telegram bot token
  /\bxox[abprs]-[A-Za-z0-9-]{8,}\b/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{8,}\b/g, // Slack app-level token
  /\b(?:bot|Bearer )[A-Za-z0-9_:.-]{20,}\b/g, // a token inside a URL path or an Authorization header
  /\b(access_token|corpsecret|appSecret|secret|ticket|key)=[^&\s"']+/gi, // WeCom/DingTalk tokens and webhook keys in a URL
];
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff·]{2,}/g;
export const REDACTED = '[已隐去]';
export const NAME_MASK = '[姓名]';

export class NameRedactor {
  private names = new Set<string>();

  /** Replaces the known names (students, guardians); called at start and after each roster change. */
  setNames(names: Iterable<string>): void {
    const next = new Set<string>();
    for (const n of names) {
      const t = n.trim();
      if (t.length >= 2 && t.length <= 6) next.add(t);
    }
    this.names = next;
  }

  get size(): number {
    return this.names.size;
  }

  scrub(text: string): string {
    let out = text;
    // A pattern with a captured name (key=value) keeps the name: access_token=[已隐去].
    for (const p of SECRET_PATTERNS) out = out.replace(p, (_m, name: unknown) => (typeof name === 'string' ? `${name}=${REDACTED}` : REDACTED));
    if (this.names.size === 0) return out;
    return out.replace(CJK_RUN, (run) => this.maskRun(run));
  }

  private maskRun(run: string): string {
    let out = '';
    let i = 0;
    while (i < run.length) {
      let hit = 0;
      for (let len = Math.min(6, run.length - i); len >= 2; len--) {
        if (this.names.has(run.slice(i, i + len))) {
          hit = len;
          break;
        }
      }
      if (hit) {
        out += NAME_MASK;
        i += hit;
      } else out += run[i++];
    }
    return out;
  }
}

/** Deep copy of a log object with every string scrubbed and secret-looking keys replaced. */
export function scrubValue(v: unknown, r: NameRedactor, depth = 0): unknown {
  if (typeof v === 'string') return r.scrub(v);
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, r, depth + 1));
  if (v instanceof Error) return { type: v.name, message: r.scrub(v.message), stack: v.stack ? r.scrub(v.stack) : undefined };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = /token|secret|password|authorization|cookie/i.test(k) ? REDACTED : scrubValue(x, r, depth + 1);
  return out;
}
