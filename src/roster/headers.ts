/** Column names as schools write them (Chinese first, English aliases) and the values they hold. */
import type { AttentionKind, Role } from '../domain/types.js';

export const STUDENT_COLUMNS = {
  studentNo: ['学籍号', '全国学籍号', 'student_no', 'studentno', 'studentid', 'student_id'],
  name: ['姓名', '学生姓名', 'name'],
  gender: ['性别', 'gender', 'sex'],
  school: ['学校', '学校名称', 'school'],
  stage: ['学段', 'stage'],
  grade: ['年级', 'grade'],
  className: ['班级', 'class'],
  town: ['镇', '乡镇', '镇/乡', 'town'],
  village: ['村', '行政村', 'village'],
  group: ['组', '村民小组', '队', 'group'],
  guardian: ['监护人', '家长', 'guardian'],
  guardianPhone: ['联系电话', '监护人电话', '电话', 'phone', 'guardian_phone'],
  attention: ['重点关注类别', '重点关注', '关注类别', 'attention', 'focus'],
} as const;
export const STUDENT_REQUIRED = ['studentNo', 'name', 'gender', 'school', 'stage', 'grade', 'className', 'town', 'village'] as const;

export const PEOPLE_COLUMNS = {
  staffId: ['工号', '编号', 'staff_id', 'staffid', 'id'],
  name: ['姓名', 'name'],
  role: ['角色', '职务', 'role'],
  town: ['镇', '乡镇', 'town'],
  village: ['村', 'village'],
  school: ['学校', 'school'],
  className: ['班级', 'class'],
  phone: ['手机', '手机号', '联系电话', '电话', 'mobile', 'phone'],
} as const;
export const PEOPLE_REQUIRED = ['staffId', 'name', 'role'] as const;

const normalise = (h: string) => h.replace(/\s|_|（.*?）|\(.*?\)/g, '').toLowerCase();

/**
 * Maps each field to its column (0-based) in this file; reports the missing required fields and the named columns
 * that no field reads (printed as a warning: their content is not imported).
 */
export function mapHeader<F extends string>(
  header: readonly string[],
  columns: Record<F, readonly string[]>,
  required: readonly F[],
): { map: Partial<Record<F, number>>; missing: F[]; unused: string[] } {
  const map: Partial<Record<F, number>> = {};
  const keys = header.map(normalise);
  for (const [field, aliases] of Object.entries(columns) as [F, readonly string[]][]) {
    const wanted = new Set(aliases.map(normalise));
    const found = keys.findIndex((k) => wanted.has(k));
    if (found >= 0) map[field] = found;
  }
  const used = new Set(Object.values(map));
  const unused = header.filter((h, i) => h.trim() !== '' && !used.has(i));
  return { map, missing: required.filter((f) => map[f] === undefined), unused };
}

export const ROLE_WORDS: [RegExp, Role][] = [
  [/^(县教育局|教育局|督导室|county)$/i, 'county'],
  [/^(镇|乡|乡镇|镇政府|乡政府|镇长|乡长|分管副镇长|镇教育办|town)$/i, 'town'],
  [/^(村|村委|村长|村干部|村支书|队长|村民小组长|village)$/i, 'village'],
  [/^(校长|principal)$/i, 'principal'],
  [/^(班主任|class_?teacher)$/i, 'class_teacher'],
  [/^(任课教师|教师|老师|subject_?teacher|teacher)$/i, 'subject_teacher'],
];

export const ATTENTION_WORDS: [RegExp, AttentionKind][] = [
  [/^(单亲|单亲家庭)$/, 'single_parent'],
  [/^(贫困|贫困家庭|建档立卡|建档立卡户|低保)$/, 'poor'],
  [/^(残疾|父母残疾|残疾家庭)$/, 'disabled_parents'],
  [/^(留守|留守儿童)$/, 'left_behind'],
  [/^(代养|隔代抚养|其他监护人|其他监护人抚养)$/, 'other_guardian'],
  [/^(学困|学困生|学习困难)$/, 'learning_difficulty'],
  [/^(行为偏差)$/, 'behaviour'],
];
