/** Validates both roster sheets together. All-or-nothing: every bad row is reported, nothing is partially accepted. */
import type { AttentionKind, Role, SchoolKind, Stage } from '../domain/types.js';
import { ROLE_LABELS } from '../domain/types.js';
import { ATTENTION_WORDS, mapHeader, PEOPLE_COLUMNS, PEOPLE_REQUIRED, ROLE_WORDS, STUDENT_COLUMNS, STUDENT_REQUIRED } from './headers.js';
import { className, parseClass, parseGrade } from './grades.js';
import type { PersonRecord, RosterError, RosterResult, SchoolRecord, StudentRecord, Table } from './types.js';

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const STUDENT_NO = /^[A-Za-z]?\d{6,20}$/;
const validPhone = (p: string) => MOBILE.test(p) || LANDLINE.test(p);

type Cells<F extends string> = (f: F) => string;

function reader<F extends string>(map: Partial<Record<F, string>>, cells: Record<string, string>): Cells<F> {
  return (f) => {
    const h = map[f];
    return h === undefined ? '' : (cells[h] ?? '').trim();
  };
}

export function validateRoster(people: Table, students: Table): RosterResult {
  const errors: RosterError[] = [];
  const sMap = mapHeader(students.header, STUDENT_COLUMNS, STUDENT_REQUIRED);
  const pMap = mapHeader(people.header, PEOPLE_COLUMNS, PEOPLE_REQUIRED);
  for (const f of sMap.missing) errors.push({ file: 'students', line: 1, column: STUDENT_COLUMNS[f][0], reason: `缺少“${STUDENT_COLUMNS[f][0]}”列` });
  for (const f of pMap.missing) errors.push({ file: 'people', line: 1, column: PEOPLE_COLUMNS[f][0], reason: `缺少“${PEOPLE_COLUMNS[f][0]}”列` });
  if (errors.length) return { ok: false, errors };

  const { records: studentRecords, places } = validateStudents(students, sMap.map, errors);
  // Classes and villages come from every row whose place reads, even if another cell of it is bad,
  // so one bad cell is reported once and does not cascade into the people sheet.
  const classesBySchool = new Map<string, Map<string, Place>>();
  const villagesByTown = new Map<string, Set<string>>();
  for (const s of places) {
    if (!classesBySchool.has(s.school)) classesBySchool.set(s.school, new Map());
    classesBySchool.get(s.school)!.set(s.className, s);
    if (!villagesByTown.has(s.town)) villagesByTown.set(s.town, new Set());
    villagesByTown.get(s.town)!.add(s.village);
  }
  const peopleRecords = validatePeople(people, pMap.map, errors, classesBySchool, villagesByTown);
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === 'people' ? -1 : 1)) };
  return {
    ok: true,
    roster: {
      people: peopleRecords,
      students: studentRecords,
      schools: schoolsOf(studentRecords, peopleRecords),
      towns: [...villagesByTown].map(([name, villages]) => ({ name, villages: [...villages] })),
    },
  };
}

type Place = Pick<StudentRecord, 'school' | 'stage' | 'grade' | 'classNo' | 'className' | 'town' | 'village'>;

function validateStudents(t: Table, map: Partial<Record<keyof typeof STUDENT_COLUMNS, string>>, errors: RosterError[]): { records: StudentRecord[]; places: Place[] } {
  const out: StudentRecord[] = [];
  const places: Place[] = [];
  const firstLine = new Map<string, number>();
  for (const row of t.rows) {
    const get = reader(map, row.cells);
    const bad = (column: string, reason: string) => errors.push({ file: 'students', line: row.line, column, reason });
    const before = errors.length;
    for (const f of STUDENT_REQUIRED) if (!get(f)) bad(STUDENT_COLUMNS[f][0], '不能为空');
    const studentNo = get('studentNo');
    if (studentNo && !STUDENT_NO.test(studentNo)) bad('学籍号', `“${studentNo}”不是有效的学籍号（如 G110101201001011234）`);
    if (studentNo && firstLine.has(studentNo)) bad('学籍号', `“${studentNo}”与第${firstLine.get(studentNo)}行重复`);
    else if (studentNo) firstLine.set(studentNo, row.line);
    const g = get('gender');
    const gender = /^(男|m|male)$/i.test(g) ? 'M' : /^(女|f|female)$/i.test(g) ? 'F' : undefined;
    if (g && !gender) bad('性别', `“${g}”应为 男 或 女`);
    const st = get('stage');
    const stage: Stage | undefined = /^(小学|primary)$/i.test(st) ? 'primary' : /^(初中|junior)$/i.test(st) ? 'junior' : undefined;
    if (st && !stage) bad('学段', `“${st}”应为 小学 或 初中（高中不属于义务教育）`);
    const gr = get('grade');
    const grade = gr && stage ? parseGrade(gr, stage) : undefined;
    if (gr && stage && (!grade || grade.stage !== stage)) bad('年级', `“${gr}”不是${stage === 'junior' ? '初中' : '小学'}的年级（如 ${stage === 'junior' ? '初二 或 八年级' : '三年级'}）`);
    const cl = get('className');
    const cls = cl ? parseClass(cl, stage) : undefined;
    if (cl && !cls) bad('班级', `“${cl}”看不懂，请写成 2班 或 三(2)班`);
    if (cls?.grade && grade && (cls.grade.stage !== grade.stage || cls.grade.grade !== grade.grade)) bad('班级', `“${cl}”与年级“${gr}”不一致`);
    const phone = get('guardianPhone');
    if (phone && !validPhone(phone)) bad('联系电话', `“${phone}”不是有效的电话号码（手机应为11位，如 13812345678；座机如 0351-1234567）`);
    const attention: AttentionKind[] = [];
    for (const word of get('attention').split(/[、;；,，/]/).map((w) => w.trim()).filter(Boolean)) {
      const kind = ATTENTION_WORDS.find(([re]) => re.test(word))?.[1];
      if (!kind) bad('重点关注类别', `“${word}”不是已知类别（单亲家庭、贫困家庭、父母残疾、留守儿童、其他监护人抚养、学困、行为偏差）`);
      else if (!attention.includes(kind)) attention.push(kind);
    }
    const placeOk = stage && grade && grade.stage === stage && cls && (!cls.grade || (cls.grade.stage === grade.stage && cls.grade.grade === grade.grade));
    if (placeOk && get('school') && get('town') && get('village')) {
      places.push({ school: get('school'), stage, grade: grade.grade, classNo: cls.classNo, className: className(stage, grade.grade, cls.classNo), town: get('town'), village: get('village') });
    }
    if (errors.length > before || !gender || !stage || !grade || !cls) continue;
    const opt = (k: 'group' | 'guardian' | 'guardianPhone') => (get(k) ? { [k]: get(k) } : {});
    out.push({
      line: row.line,
      studentNo,
      name: get('name'),
      gender,
      school: get('school'),
      stage,
      grade: grade.grade,
      classNo: cls.classNo,
      className: className(stage, grade.grade, cls.classNo),
      town: get('town'),
      village: get('village'),
      ...opt('group'),
      ...opt('guardian'),
      ...opt('guardianPhone'),
      attention,
    });
  }
  return { records: out, places };
}

function validatePeople(
  t: Table,
  map: Partial<Record<keyof typeof PEOPLE_COLUMNS, string>>,
  errors: RosterError[],
  classesBySchool: Map<string, Map<string, Place>>,
  villagesByTown: Map<string, Set<string>>,
): PersonRecord[] {
  const out: PersonRecord[] = [];
  const firstLine = new Map<string, number>();
  const classTeacherOf = new Map<string, number>();
  for (const row of t.rows) {
    const get = reader(map, row.cells);
    const bad = (column: string, reason: string) => errors.push({ file: 'people', line: row.line, column, reason });
    const before = errors.length;
    for (const f of PEOPLE_REQUIRED) if (!get(f)) bad(PEOPLE_COLUMNS[f][0], '不能为空');
    const staffId = get('staffId');
    if (staffId && firstLine.has(staffId)) bad('工号', `“${staffId}”与第${firstLine.get(staffId)}行重复`);
    else if (staffId) firstLine.set(staffId, row.line);
    const r = get('role');
    const role: Role | undefined = ROLE_WORDS.find(([re]) => re.test(r))?.[1];
    if (r && !role) bad('角色', `“${r}”不是已知角色（${Object.values(ROLE_LABELS).join('/')}）`);
    const phone = get('phone');
    if (phone && !validPhone(phone)) bad('手机', `“${phone}”不是有效的手机号码（应为11位，如 13812345678）`);
    const [town, village, school, cl] = [get('town'), get('village'), get('school'), get('className')];
    let canonicalClass: string | undefined;
    const need = (ok: boolean, column: string, reason: string) => ok || (bad(column, reason), false);
    if (role === 'town' && need(!!town, '镇', '镇干部须填写所在镇')) need(villagesByTown.has(town), '镇', `学生表中没有“${town}”`);
    if (role === 'village' && need(!!town && !!village, '村', '村干部须填写镇和村')) {
      need(villagesByTown.get(town)?.has(village) ?? false, '村', `学生表中“${town}”下没有“${village}”`);
    }
    if ((role === 'principal' || role === 'class_teacher' || role === 'subject_teacher') && need(!!school, '学校', `${ROLE_LABELS[role]}须填写学校`)) {
      const classes = classesBySchool.get(school);
      if (need(classes !== undefined, '学校', `学生表中没有学校“${school}”`) && (cl || role === 'class_teacher')) {
        const parsed = cl ? parseClass(cl) : undefined;
        const match = parsed?.grade ? [...classes!.values()].find((s) => s.stage === parsed.grade!.stage && s.grade === parsed.grade!.grade && s.classNo === parsed.classNo) : undefined;
        if (!cl) bad('班级', '班主任须填写班级，如 三(2)班');
        else if (!parsed?.grade) bad('班级', `“${cl}”须写明年级，如 三(2)班 或 初二(3)班`);
        else if (!match) bad('班级', `学生表中“${school}”没有“${cl}”`);
        else canonicalClass = match.className;
      }
    }
    if (role === 'class_teacher' && canonicalClass) {
      const key = `${school}|${canonicalClass}`;
      if (classTeacherOf.has(key)) bad('班级', `${canonicalClass}已有班主任（第${classTeacherOf.get(key)}行），每班只能有一位班主任`);
      else classTeacherOf.set(key, row.line);
    }
    if (errors.length > before || !role) continue;
    const keep = { town: role === 'county' ? '' : town, village: role === 'village' ? village : '', school: ['principal', 'class_teacher', 'subject_teacher'].includes(role) ? school : '' };
    out.push({
      line: row.line,
      staffId,
      name: get('name'),
      role,
      ...(keep.town ? { town: keep.town } : {}),
      ...(keep.village ? { village: keep.village } : {}),
      ...(keep.school ? { school: keep.school } : {}),
      ...(canonicalClass ? { className: canonicalClass } : {}),
      ...(phone ? { phone } : {}),
    });
  }
  return out;
}

function schoolsOf(students: StudentRecord[], people: PersonRecord[]): SchoolRecord[] {
  const bySchool = new Map<string, StudentRecord[]>();
  for (const s of students) bySchool.set(s.school, [...(bySchool.get(s.school) ?? []), s]);
  return [...bySchool].map(([name, list]) => {
    const stages = new Set(list.map((s) => s.stage));
    const kind: SchoolKind = stages.size === 2 ? 'nine_year' : stages.has('junior') ? 'junior' : 'primary';
    const principalTown = people.find((p) => p.role === 'principal' && p.school === name && p.town)?.town;
    const counts = new Map<string, number>();
    for (const s of list) counts.set(s.town, (counts.get(s.town) ?? 0) + 1);
    const commonTown = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    return { name, kind, town: principalTown && counts.has(principalTown) ? principalTown : commonTown };
  });
}
