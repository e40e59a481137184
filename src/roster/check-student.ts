/** One row of the students sheet → a student record and the place it names (school, class, town, village). */
import type { AttentionKind, Stage } from '../domain/types.js';
import { ATTENTION_WORDS, STUDENT_COLUMNS, STUDENT_REQUIRED } from './headers.js';
import { className, parseClass, parseGrade } from './grades.js';
import type { SheetRow, StudentRecord } from './types.js';

export const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const STUDENT_NO = /^[A-Za-z]?\d{6,20}$/;
export const validPhone = (p: string) => MOBILE.test(p) || LANDLINE.test(p);

export type StudentField = keyof typeof STUDENT_COLUMNS;
export type Place = Pick<StudentRecord, 'school' | 'stage' | 'grade' | 'classNo' | 'className' | 'town' | 'village'>;
/** Reports one problem of the current row. */
export type Bad = (column: string, reason: string) => void;

/** Reads a row's cell by field through the header map. */
export function cellReader<F extends string>(map: Partial<Record<F, number>>, values: readonly string[]): (f: F) => string {
  return (f) => {
    const i = map[f];
    return i === undefined ? '' : (values[i] ?? '').trim();
  };
}

/**
 * A checker for the students sheet, row by row. Repeated texts (school, town, village, class, group) are interned,
 * so a county of 100,000 rows holds each name once.
 */
export function studentChecker(map: Partial<Record<StudentField, number>>, intern: (s: string) => string) {
  const firstLine = new Map<string, number>();
  return (row: SheetRow, bad: Bad): { record?: StudentRecord; place?: Place } => {
    const get = cellReader(map, row.values);
    let problems = 0;
    const fault: Bad = (column, reason) => (problems++, bad(column, reason));
    for (const f of STUDENT_REQUIRED) if (!get(f)) fault(STUDENT_COLUMNS[f][0], '不能为空');
    const studentNo = get('studentNo');
    if (studentNo && !STUDENT_NO.test(studentNo)) fault('学籍号', `“${studentNo}”不是有效的学籍号（如 G110101201001011234）`);
    if (studentNo && firstLine.has(studentNo)) fault('学籍号', `“${studentNo}”与第${firstLine.get(studentNo)}行重复`);
    else if (studentNo) firstLine.set(studentNo, row.line);
    const g = get('gender');
    const gender = /^(男|m|male)$/i.test(g) ? 'M' : /^(女|f|female)$/i.test(g) ? 'F' : undefined;
    if (g && !gender) fault('性别', `“${g}”应为 男 或 女`);
    const st = get('stage');
    const stage: Stage | undefined = /^(小学|primary)$/i.test(st) ? 'primary' : /^(初中|junior)$/i.test(st) ? 'junior' : undefined;
    if (st && !stage) fault('学段', `“${st}”应为 小学 或 初中（高中不属于义务教育）`);
    const gr = get('grade');
    const grade = gr && stage ? parseGrade(gr, stage) : undefined;
    if (gr && stage && (!grade || grade.stage !== stage))
      fault('年级', `“${gr}”不是${stage === 'junior' ? '初中' : '小学'}的年级（如 ${stage === 'junior' ? '初二 或 八年级' : '三年级'}）`);
    const cl = get('className');
    const cls = cl ? parseClass(cl, stage) : undefined;
    if (cl && !cls) fault('班级', `“${cl}”看不懂，请写成 2班 或 三(2)班`);
    if (cls?.grade && grade && (cls.grade.stage !== grade.stage || cls.grade.grade !== grade.grade)) fault('班级', `“${cl}”与年级“${gr}”不一致`);
    const phone = get('guardianPhone');
    if (phone && !validPhone(phone)) fault('联系电话', `“${phone}”不是有效的电话号码（手机应为11位，如 13812345678；座机如 0351-1234567）`);
    const attention: AttentionKind[] = [];
    for (const word of get('attention')
      .split(/[、;；,，/]/)
      .map((w) => w.trim())
      .filter(Boolean)) {
      const kind = ATTENTION_WORDS.find(([re]) => re.test(word))?.[1];
      if (!kind) fault('重点关注类别', `“${word}”不是已知类别（单亲家庭、贫困家庭、父母残疾、留守儿童、其他监护人抚养、学困、行为偏差）`);
      else if (!attention.includes(kind)) attention.push(kind);
    }
    // The place counts even when another cell of the row is bad, so one bad cell does not cascade into the people sheet.
    const placeOk = stage && grade && grade.stage === stage && cls && (!cls.grade || (cls.grade.stage === grade.stage && cls.grade.grade === grade.grade));
    const place: Place | undefined =
      placeOk && get('school') && get('town') && get('village')
        ? {
            school: intern(get('school')),
            stage,
            grade: grade.grade,
            classNo: cls.classNo,
            className: intern(className(stage, grade.grade, cls.classNo)),
            town: intern(get('town')),
            village: intern(get('village')),
          }
        : undefined;
    if (problems > 0 || !gender || !place) return place ? { place } : {};
    const group = get('group');
    const guardian = get('guardian');
    return {
      place,
      record: {
        line: row.line,
        studentNo,
        name: get('name'),
        gender,
        ...place,
        ...(group ? { group: intern(group) } : {}),
        ...(guardian ? { guardian } : {}),
        ...(phone ? { guardianPhone: phone } : {}),
        attention,
      },
    };
  };
}
