/** Shared vocabulary of the 控辍保学 domain. Pure types and constants, no I/O. */

/** A calendar date in the county's timezone, as `YYYY-MM-DD`. */
export type DateStr = string;

export const ROLES = ['county', 'town', 'village', 'principal', 'class_teacher', 'subject_teacher'] as const;
export type Role = (typeof ROLES)[number];

/** Chinese role labels as they appear in rosters (角色 column) and replies. */
export const ROLE_LABELS: Record<Role, string> = {
  county: '县教育局',
  town: '镇',
  village: '村',
  principal: '校长',
  class_teacher: '班主任',
  subject_teacher: '任课教师',
};

export const STAGES = ['primary', 'junior'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Record<Stage, string> = { primary: '小学', junior: '初中' };

export const SCHOOL_KINDS = ['primary', 'junior', 'nine_year'] as const;
export type SchoolKind = (typeof SCHOOL_KINDS)[number];
export const SCHOOL_KIND_LABELS: Record<SchoolKind, string> = {
  primary: '小学',
  junior: '初中',
  nine_year: '九年一贯制',
};

/** 重点关注类别: the five family kinds (seed 004, plan 2) plus 学困 and 行为偏差. */
export const ATTENTION_KINDS = ['single_parent', 'poor', 'disabled_parents', 'left_behind', 'other_guardian', 'learning_difficulty', 'behaviour'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];
export const ATTENTION_LABELS: Record<AttentionKind, string> = {
  single_parent: '单亲家庭',
  poor: '贫困家庭',
  disabled_parents: '父母残疾',
  left_behind: '留守儿童',
  other_guardian: '其他监护人抚养',
  learning_difficulty: '学困',
  behaviour: '行为偏差',
};
/** What people type for each 重点关注 kind (the label always counts too); the roster reader's words. */
export const ATTENTION_SYNONYMS: Record<AttentionKind, string[]> = {
  single_parent: ['单亲', '单亲家庭'],
  poor: ['贫困', '贫困家庭', '建档立卡', '建档立卡户', '低保'],
  disabled_parents: ['残疾', '父母残疾', '残疾家庭'],
  left_behind: ['留守', '留守儿童'],
  other_guardian: ['代养', '隔代抚养', '其他监护人', '其他监护人抚养'],
  learning_difficulty: ['学困', '学困生', '学习困难'],
  behaviour: ['行为偏差'],
};

/** One day's attendance mark for a student. `present` is the default when nothing is reported. */
export const ATTENDANCE_STATUSES = ['present', 'sick', 'personal', 'truant'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: '到校',
  sick: '病假',
  personal: '事假',
  truant: '旷课',
};
/** What teachers type for each mark (the label always counts too; case-insensitive): the one source for every reader. */
export const ATTENDANCE_SYNONYMS: Record<AttendanceStatus, string[]> = {
  present: ['到校', '出勤', '已到', '到了', 'present'],
  sick: ['病假', '生病', 'sick'],
  personal: ['事假', '请假', 'leave', 'personal'],
  truant: ['旷课', '无故', '无故缺勤', '无故缺课', '未请假', '逃学', 'truant', 'unexcused'],
};
export const isUnexcused = (s: AttendanceStatus): boolean => s === 'truant';

/** Register status: transfer, suspension and borrowing are not dropouts (DOMAIN.md). */
export const STUDENT_STATUSES = ['enrolled', 'transferred_out', 'suspended', 'borrowing', 'dropped_out', 'graduated'] as const;
export type StudentStatus = (typeof STUDENT_STATUSES)[number];

/** Figures of a weekly class count (班级每周一统计). Only those stated are present. */
export interface CountFigures {
  enrolled?: number; // 应到
  present?: number; // 实到
  leave?: number; // 请假 in total (= sick + personal when either is stated)
  sick?: number; // 病假 (with personal, or neither: a bare 请假N leaves both unknown)
  personal?: number; // 事假
  truant?: number; // 旷课 / 无故缺勤
  dropout?: number; // 辍学
  returned?: number; // 复学 / 劝返返校
}

/** all-present: 全勤 with no figure (the roll comes from the register); approximate: a figure like 四十来个 (ask for it exactly). */
export type CountOutcome = 'count' | 'not-a-count' | 'invalid' | 'inconsistent' | 'all-present' | 'approximate';
export interface CountReading {
  outcome: CountOutcome;
  figures: CountFigures;
  /** zh-CN reason for invalid / inconsistent readings. */
  reason?: string;
}
