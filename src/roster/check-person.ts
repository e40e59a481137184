/** One row of the people sheet → a person record, checked against the places the students sheet names. */
import type { Role } from '../domain/types.js';
import { ROLE_LABELS } from '../domain/types.js';
import { PEOPLE_COLUMNS, PEOPLE_REQUIRED, ROLE_WORDS } from './headers.js';
import { parseClass } from './grades.js';
import { cellReader, validPhone, type Bad, type Place } from './check-student.js';
import type { PersonRecord, SheetRow } from './types.js';

export type PersonField = keyof typeof PEOPLE_COLUMNS;

/** The places of the students sheet: classes by school (keyed stage|grade|classNo) and villages by town. */
export interface Places {
  classesBySchool: Map<string, Map<string, Place>>;
  villagesByTown: Map<string, Set<string>>;
}

export const classKey = (stage: string, grade: number, classNo: number) => `${stage}|${grade}|${classNo}`;

const SCHOOL_ROLES: readonly Role[] = ['principal', 'class_teacher', 'subject_teacher'];

export function personChecker(map: Partial<Record<PersonField, number>>, places: Places, intern: (s: string) => string) {
  const firstLine = new Map<string, number>();
  const classTeacherOf = new Map<string, number>();
  return (row: SheetRow, bad: Bad): PersonRecord | undefined => {
    const get = cellReader(map, row.values);
    let problems = 0;
    const fault: Bad = (column, reason) => (problems++, bad(column, reason));
    for (const f of PEOPLE_REQUIRED) if (!get(f)) fault(PEOPLE_COLUMNS[f][0], '不能为空');
    const staffId = get('staffId');
    if (staffId && firstLine.has(staffId)) fault('工号', `“${staffId}”与第${firstLine.get(staffId)}行重复`);
    else if (staffId) firstLine.set(staffId, row.line);
    const r = get('role');
    const role: Role | undefined = ROLE_WORDS.find(([re]) => re.test(r))?.[1];
    if (r && !role) fault('角色', `“${r}”不是已知角色（${Object.values(ROLE_LABELS).join('/')}）`);
    const phone = get('phone');
    if (phone && !validPhone(phone)) fault('手机', `“${phone}”不是有效的手机号码（应为11位，如 13812345678）`);
    const [town, village, school, cl] = [get('town'), get('village'), get('school'), get('className')];
    let canonicalClass: string | undefined;
    const need = (ok: boolean, column: string, reason: string) => ok || (fault(column, reason), false);
    if (role === 'town' && need(!!town, '镇', '镇干部须填写所在镇')) need(places.villagesByTown.has(town), '镇', `学生表中没有“${town}”`);
    if (role === 'village' && need(!!town && !!village, '村', '村干部须填写镇和村')) {
      need(places.villagesByTown.get(town)?.has(village) ?? false, '村', `学生表中“${town}”下没有“${village}”`);
    }
    if (role && SCHOOL_ROLES.includes(role) && need(!!school, '学校', `${ROLE_LABELS[role]}须填写学校`)) {
      const classes = places.classesBySchool.get(school);
      if (need(classes !== undefined, '学校', `学生表中没有学校“${school}”`) && (cl || role === 'class_teacher')) {
        const parsed = cl ? parseClass(cl) : undefined;
        const match = parsed?.grade ? classes!.get(classKey(parsed.grade.stage ?? 'primary', parsed.grade.grade, parsed.classNo)) : undefined;
        if (!cl) fault('班级', '班主任须填写班级，如 三(2)班');
        else if (!parsed?.grade) fault('班级', `“${cl}”须写明年级，如 三(2)班 或 初二(3)班`);
        else if (!match) fault('班级', `学生表中“${school}”没有“${cl}”`);
        else canonicalClass = match.className;
      }
    }
    if (role === 'class_teacher' && canonicalClass) {
      const key = `${school}|${canonicalClass}`;
      if (classTeacherOf.has(key)) fault('班级', `${canonicalClass}已有班主任（第${classTeacherOf.get(key)}行），每班只能有一位班主任`);
      else classTeacherOf.set(key, row.line);
    }
    if (problems > 0 || !role) return undefined;
    const keep = { town: role === 'county' ? '' : town, village: role === 'village' ? village : '', school: SCHOOL_ROLES.includes(role) ? school : '' };
    return {
      line: row.line,
      staffId,
      name: get('name'),
      role,
      ...(keep.town ? { town: intern(keep.town) } : {}),
      ...(keep.village ? { village: intern(keep.village) } : {}),
      ...(keep.school ? { school: intern(keep.school) } : {}),
      ...(canonicalClass ? { className: canonicalClass } : {}),
      ...(phone ? { phone } : {}),
    };
  };
}
