/**
 * Closed sets of words a command accepts (attendance marks, 重点关注 kinds, home-visit reasons and outcomes, rate
 * names): each key's label (what replies print) and the synonyms people type. One source: the readers, the declared
 * command arguments and `帮助` all use these sets. Pure.
 */
import { ATTENDANCE_LABELS, ATTENDANCE_STATUSES, ATTENDANCE_SYNONYMS, ATTENTION_KINDS, ATTENTION_LABELS, ATTENTION_SYNONYMS } from './types.js';
import {
  HOME_VISIT_OUTCOME_LABELS,
  HOME_VISIT_OUTCOME_SYNONYMS,
  HOME_VISIT_OUTCOMES,
  HOME_VISIT_REASON_LABELS,
  HOME_VISIT_REASON_SYNONYMS,
  HOME_VISIT_REASONS,
} from './dropout-case.js';
import { RATE_KEYS, RATE_LABELS, type RateKey } from './rates.js';

export interface LabelSet<K extends string = string> {
  /** What the set is called in a refusal: 原因, 考勤状态 … */
  title: string;
  keys: readonly K[];
  labels: Record<K, string>;
  synonyms: Record<K, readonly string[]>;
  /** A word may carry its own explanation after a colon (`其他:外出打工`). */
  detail?: boolean;
}

const norm = (w: string) => w.replace(/\s/g, '').toLowerCase();

/** The key a typed word names (its label or a synonym, spaces and case ignored), or undefined. */
export function readLabel<K extends string>(set: LabelSet<K>, word: string): K | undefined {
  const w = norm(word);
  if (!w) return undefined;
  return set.keys.find((k) => norm(set.labels[k]) === w || set.synonyms[k].some((s) => norm(s) === w));
}

/** `其他:外出打工` → its key and the explanation (only for sets that allow one). */
export function readLabelWithDetail<K extends string>(set: LabelSet<K>, token: string): { value: K; detail?: string } | undefined {
  const m = set.detail ? /^([^:：]+)[:：](.*)$/s.exec(token.trim()) : null;
  const value = readLabel(set, m ? m[1]! : token);
  const detail = m ? m[2]!.trim() : '';
  return value === undefined ? undefined : { value, ...(detail ? { detail } : {}) };
}

/** "病假、事假、旷课、到校": the labels, for refusals and help. */
export function labelChoices<K extends string>(set: LabelSet<K>, except: readonly K[] = []): string {
  return set.keys
    .filter((k) => !except.includes(k))
    .map((k) => set.labels[k])
    .join('、');
}

export const ATTENDANCE_SET: LabelSet<(typeof ATTENDANCE_STATUSES)[number]> = {
  title: '考勤状态',
  keys: ATTENDANCE_STATUSES,
  labels: ATTENDANCE_LABELS,
  synonyms: ATTENDANCE_SYNONYMS,
};
export const ATTENTION_SET: LabelSet<(typeof ATTENTION_KINDS)[number]> = {
  title: '重点关注类别',
  keys: ATTENTION_KINDS,
  labels: ATTENTION_LABELS,
  synonyms: ATTENTION_SYNONYMS,
};
export const VISIT_REASON_SET: LabelSet<(typeof HOME_VISIT_REASONS)[number]> = {
  title: '原因',
  keys: HOME_VISIT_REASONS,
  labels: HOME_VISIT_REASON_LABELS,
  synonyms: HOME_VISIT_REASON_SYNONYMS,
  detail: true,
};
export const VISIT_OUTCOME_SET: LabelSet<(typeof HOME_VISIT_OUTCOMES)[number]> = {
  title: '结果',
  keys: HOME_VISIT_OUTCOMES,
  labels: HOME_VISIT_OUTCOME_LABELS,
  synonyms: HOME_VISIT_OUTCOME_SYNONYMS,
  detail: true,
};
export const RATE_SET: LabelSet<RateKey> = {
  title: '指标',
  keys: RATE_KEYS,
  labels: RATE_LABELS,
  synonyms: {
    primaryDropout: ['小学辍学率'],
    juniorDropout: ['初中辍学率'],
    consolidation: ['巩固率', '九年义务教育巩固率'],
    primaryEnrolment: ['小学入学率', '小学适龄儿童入学率'],
    juniorGrossEnrolment: ['初中毛入学率', '初中阶段毛入学率'],
  },
};
/** 辍学名单 表格 / csv. */
export const ROSTER_FORMAT_SET: LabelSet<'xlsx' | 'csv'> = {
  title: '格式',
  keys: ['xlsx', 'csv'],
  labels: { xlsx: '表格', csv: 'csv' },
  synonyms: { xlsx: ['表格', 'excel', 'xlsx'], csv: ['csv'] },
};
/** 月报表 pdf / 表格. */
export const FORM_FORMAT_SET: LabelSet<'xlsx' | 'pdf'> = {
  title: '格式',
  keys: ['xlsx', 'pdf'],
  labels: { xlsx: '表格', pdf: 'pdf' },
  synonyms: { xlsx: ['表格', 'excel', 'xlsx'], pdf: ['pdf'] },
};
/** 包保 张三 取消 T1001. */
export const REMOVE_SET: LabelSet<'remove'> = {
  title: '取消',
  keys: ['remove'],
  labels: { remove: '取消' },
  synonyms: { remove: ['取消', '删除', '移除', '解除', 'remove'] },
};

/** Every set, for help and for the tests that each label and synonym reads back to its key. */
export const LABEL_SETS: readonly LabelSet[] = [
  ATTENDANCE_SET,
  ATTENTION_SET,
  VISIT_REASON_SET,
  VISIT_OUTCOME_SET,
  RATE_SET,
  ROSTER_FORMAT_SET,
  FORM_FORMAT_SET,
  REMOVE_SET,
] as LabelSet[];
