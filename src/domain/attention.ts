/**
 * 重点关注 (students needing attention): reading the kinds stored on a student, the tag shown to the people
 * responsible for them, and the priority rule (ATTENTION_ESCALATE) that lets more people know sooner. Pure.
 */
import { ATTENTION_KINDS, ATTENTION_LABELS, type AttentionKind } from './types.js';

/** The kinds stored on a student (`Student.attention`, comma-separated), known ones only, in ATTENTION_KINDS order. */
export function attentionKinds(stored: string | null | undefined): AttentionKind[] {
  const words = new Set((stored ?? '').split(',').map((w) => w.trim()));
  return ATTENTION_KINDS.filter((k) => words.has(k));
}

/** 【重点关注：留守儿童、贫困家庭】, or '' for a student with none. Only for direct messages to responsible people. */
export function attentionTag(stored: string | null | undefined): string {
  const kinds = attentionKinds(stored);
  return kinds.length ? `【重点关注：${kinds.map((k) => ATTENTION_LABELS[k]).join('、')}】` : '';
}

/** Who a priority rule brings in at every step of the absence ladder, from the first unexcused day. */
export const ESCALATE_ROLES = ['village', 'principal', 'town'] as const;
export type EscalateRole = (typeof ESCALATE_ROLES)[number];
export const ESCALATE_ROLE_WORDS: Record<EscalateRole, string[]> = {
  village: ['village', '村', '村干部'],
  principal: ['principal', '校长'],
  town: ['town', '镇', '镇干部'],
};

export interface AttentionRule {
  kind: AttentionKind;
  roles: EscalateRole[];
}

/** Words accepted for a kind in the rule: its id, its label, and the short forms people use. */
const KIND_WORDS: Record<AttentionKind, string[]> = {
  single_parent: ['single_parent', '单亲', '单亲家庭'],
  poor: ['poor', '贫困', '困难', '贫困家庭', '困难家庭'],
  disabled_parents: ['disabled_parents', '残疾', '父母残疾'],
  left_behind: ['left_behind', '留守', '留守儿童'],
  other_guardian: ['other_guardian', '其他监护人', '其他监护人抚养'],
  learning_difficulty: ['learning_difficulty', '学困', '学困生'],
  behaviour: ['behaviour', '行为偏差'],
};

export const ATTENTION_ESCALATE_EXAMPLE = 'left_behind,poor:village+principal';
export const ATTENTION_ESCALATE_DEFAULT = 'left_behind,other_guardian';

/**
 * `ATTENTION_ESCALATE`: comma-separated rules `kind[:role+role]`. A pupil of that kind has the roles told from the
 * ladder's first step (call_family) on; without roles, the village cadre. `off` (or empty) disables it.
 * Returns the rules, or the problems (each names the bad part).
 */
export function parseAttentionRules(text: string): { rules: AttentionRule[] } | { problems: string[] } {
  const t = text.trim();
  if (t === '' || t === 'off') return { rules: [] };
  const rules: AttentionRule[] = [];
  const problems: string[] = [];
  for (const part of t
    .split(/[,，;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kindWord = '', roleText, ...extra] = part.split(/[:：]/).map((p) => p.trim());
    const kind = ATTENTION_KINDS.find((k) => KIND_WORDS[k].includes(kindWord.toLowerCase()));
    if (!kind) {
      problems.push(
        `“${kindWord}”不是重点关注类别，可用：${ATTENTION_KINDS.join('、')}（或中文：${ATTENTION_KINDS.map((k) => ATTENTION_LABELS[k]).join('、')}）`,
      );
      continue;
    }
    if (extra.length > 0) {
      problems.push(`“${part}”只能有一个冒号，格式为 类别[:角色+角色]`);
      continue;
    }
    const roles: EscalateRole[] = [];
    const bad = problems.length;
    for (const w of (roleText ?? 'village')
      .split('+')
      .map((r) => r.trim().toLowerCase())
      .filter(Boolean)) {
      const role = ESCALATE_ROLES.find((r) => ESCALATE_ROLE_WORDS[r].includes(w));
      if (!role) problems.push(`“${part}”里的“${w}”不是可以提前通知的角色，可用：village（村干部）、principal（校长）、town（镇）`);
      else if (!roles.includes(role)) roles.push(role);
    }
    if (roleText !== undefined && roles.length === 0 && problems.length === bad) problems.push(`“${part}”冒号后没有写角色，如 ${kind}:village`);
    const known = rules.find((r) => r.kind === kind);
    if (known) for (const r of roles) known.roles.includes(r) || known.roles.push(r);
    else rules.push({ kind, roles });
  }
  return problems.length ? { problems } : { rules };
}

/** The roles the rules add for a student of these kinds (none for a student without a matching kind). */
export function escalatedRoles(rules: readonly AttentionRule[], stored: string | null | undefined): Set<EscalateRole> {
  const kinds = attentionKinds(stored);
  return new Set(rules.filter((r) => kinds.includes(r.kind)).flatMap((r) => r.roles));
}
