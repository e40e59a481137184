import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ERRORS, validateRoster } from '../../src/roster/validate.js';
import { formatRosterErrors } from '../../src/roster/format-errors.js';
import type { Table } from '../../src/roster/types.js';
import { demoTables, generateDemoCounty } from '../../src/demo/demo-county.js';

function table(csv: string): Table {
  const [head, ...lines] = csv.trim().split('\n');
  const header = head!.split(',');
  return { header, rows: lines.map((l, i) => ({ line: i + 2, cells: Object.fromEntries(header.map((h, j) => [h, l.split(',')[j] ?? ''])) })) };
}

const STUDENTS = `学籍号,姓名,性别,学校,学段,年级,班级,镇,村,组,监护人,联系电话,重点关注类别
G1000001,张小明,男,青石小学,小学,三年级,2班,青石镇,东山村,一组,张大山,13812345678,留守、贫困
G1000002,王小红,女,青石小学,小学,3,三(2)班,青石镇,东山村,二组,王建国,0851-8123456,
G1000003,李华,女,柳河中学,初中,初二,3班,柳河镇,河湾村,,,,学困`;
const PEOPLE = `工号,姓名,角色,镇,村,学校,班级,手机
A1,赵局长,县教育局,,,,,13900000001
A2,钱镇长,镇长,青石镇,,,,
A3,孙村长,村干部,青石镇,东山村,,,
A4,李校长,校长,青石镇,,青石小学,,
A5,周老师,班主任,,,青石小学,三（2）班,13900000005
A6,吴老师,班主任,,,柳河中学,八(3)班,
A7,郑老师,任课教师,,,青石小学,,`;

const errorsOf = (people: string, students: string) => {
  const r = validateRoster(table(people), table(students));
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('a valid roster', () => {
  it('normalises grades, classes, roles and attention kinds', () => {
    const r = validateRoster(table(PEOPLE), table(STUDENTS));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.roster.students.map((s) => s.className)).toEqual(['三(2)班', '三(2)班', '初二(3)班']);
    expect(r.roster.students[0]!.attention).toEqual(['left_behind', 'poor']);
    expect(r.roster.people.map((p) => p.role)).toEqual(['county', 'town', 'village', 'principal', 'class_teacher', 'class_teacher', 'subject_teacher']);
    expect(r.roster.people.find((p) => p.staffId === 'A6')!.className).toBe('初二(3)班');
    expect(r.roster.schools).toEqual([
      { name: '青石小学', kind: 'primary', town: '青石镇' },
      { name: '柳河中学', kind: 'junior', town: '柳河镇' },
    ]);
    expect(r.roster.towns).toEqual([
      { name: '青石镇', villages: ['东山村'] },
      { name: '柳河镇', villages: ['河湾村'] },
    ]);
  });
  it('accepts English headers', () => {
    const s = STUDENTS.replace(
      '学籍号,姓名,性别,学校,学段,年级,班级,镇,村,组,监护人,联系电话,重点关注类别',
      'Student_No,Name,Gender,School,Stage,Grade,Class,Town,Village,Group,Guardian,Phone,Attention',
    );
    const p = PEOPLE.replace('工号,姓名,角色,镇,村,学校,班级,手机', 'staff_id,name,role,town,village,school,class,mobile');
    expect(validateRoster(table(p), table(s)).ok).toBe(true);
  });
  it('the demo county passes and has every role', () => {
    const t = demoTables();
    const r = validateRoster(t.people, t.students);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.roster.students.length).toBeGreaterThan(550);
    expect(r.roster.students.length).toBeLessThan(650);
    expect(new Set(r.roster.people.map((p) => p.role)).size).toBe(6);
    expect(r.roster.schools.map((s) => s.kind).sort()).toEqual(['junior', 'nine_year', 'primary']);
    const classes = new Set(r.roster.students.map((s) => `${s.school}|${s.className}`));
    const teachers = r.roster.people.filter((p) => p.role === 'class_teacher').map((p) => `${p.school}|${p.className}`);
    expect(new Set(teachers)).toEqual(classes);
    const villages = r.roster.towns.flatMap((t) => t.villages);
    expect(new Set(r.roster.people.filter((p) => p.role === 'village').map((p) => p.village))).toEqual(new Set(villages));
  });
  it('the demo county is deterministic', () => {
    expect(generateDemoCounty()).toEqual(generateDemoCounty());
    expect(generateDemoCounty(7).students[0]).not.toEqual(generateDemoCounty().students[0]);
  });
});

describe('bad rows: every one reported by line and reason, nothing accepted', () => {
  const cases: [string, string, string, number, RegExp][] = [
    ['students', '学籍号', 'G1000002', 3, /与第2行重复/],
    ['students', '性别', '女', 3, /应为 男 或 女/],
    ['students', '联系电话', '0851-8123456', 3, /不是有效的电话号码/],
    ['students', '年级', '3', 3, /不是小学的年级/],
    ['students', '班级', '三(2)班', 3, /不一致/],
    ['students', '重点关注类别', '学困', 4, /不是已知类别/],
    ['students', '学段', '初中', 4, /应为 小学 或 初中/],
  ];
  const bad: Record<string, string> = {
    学籍号: 'G1000001',
    性别: '未知',
    联系电话: '1381234',
    年级: '高一',
    班级: '四(2)班',
    重点关注类别: '早恋',
    学段: '高中',
  };
  for (const [file, column, original, line, reason] of cases) {
    it(`${file} line ${line} [${column}]`, () => {
      const lines = STUDENTS.split('\n');
      lines[line - 1] = lines[line - 1]!.replace(original, bad[column]!);
      const errors = errorsOf(PEOPLE, lines.join('\n'));
      expect(errors).toContainEqual(expect.objectContaining({ file, line, column }));
      expect(errors.find((e) => e.column === column)!.reason).toMatch(reason);
    });
  }
  it('a missing column is a file-level error naming it', () => {
    const errors = errorsOf(PEOPLE, STUDENTS.replace('学籍号,', '编号,'));
    expect(errors).toEqual([{ file: 'students', line: 1, column: '学籍号', reason: '缺少“学籍号”列' }]);
  });
  it('people: unknown role, bad phone, class teacher of a class that does not exist, a second class teacher, unknown village', () => {
    const p = `${PEOPLE}
A8,冯老师,教务员,,,青石小学,,
A9,陈老师,班主任,,,青石小学,三(5)班,138
A10,褚老师,班主任,,,青石小学,三(2)班,
A11,卫村长,村,青石镇,西山村,,,
A12,蒋老师,班主任,,,青石小学,2班,`;
    const errors = errorsOf(p, STUDENTS);
    const at = (line: number) =>
      errors
        .filter((e) => e.file === 'people' && e.line === line)
        .map((e) => e.reason)
        .join(' | ');
    expect(at(9)).toMatch(/不是已知角色/);
    expect(at(10)).toMatch(/没有“三\(5\)班”/);
    expect(at(10)).toMatch(/不是有效的手机号码/);
    expect(at(11)).toMatch(/已有班主任（第6行）/);
    expect(at(12)).toMatch(/没有“西山村”/);
    expect(at(13)).toMatch(/须写明年级/);
  });
  it('every bad row is listed, not just the first, and the report is readable', () => {
    const s = STUDENTS.replace('13812345678', '1381234').replace('G1000003,李华,女', 'G1000003,,女');
    const errors = errorsOf(PEOPLE, s);
    expect(errors.filter((e) => e.file === 'students').map((e) => e.line)).toEqual([2, 4]);
    // the rejected student's class still exists for its class teacher: one bad cell does not cascade
    expect(errors.filter((e) => e.file === 'people')).toEqual([]);
    const report = formatRosterErrors(errors);
    expect(report).toContain('学生表 第2行 [联系电话]：“1381234”不是有效的电话号码');
    expect(report).toContain('学生表 第4行 [姓名]：不能为空');
    expect(report).toContain('共 2 个问题，涉及 2 行。');
  });
  it('a hopeless file lists its first problems and counts the rest, instead of thousands of lines', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `G${2000000 + i},学生${i},未知,青石小学,小学,三年级,2班,青石镇,东山村,,,,`);
    const r = validateRoster(table(PEOPLE), table([STUDENTS, ...rows].join('\n')));
    if (r.ok) throw new Error('expected errors');
    expect(r.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(r.omitted).toBe(400 - MAX_LISTED_ERRORS);
    expect(r.errors.at(-1)).toMatchObject({ file: 'students', line: MAX_LISTED_ERRORS + 4, column: '性别' });
    expect(formatRosterErrors(r.errors, r.omitted)).toMatch(new RegExp(`以上列出前 ${MAX_LISTED_ERRORS} 个问题，另有 ${400 - MAX_LISTED_ERRORS} 个未列出`));
  });
});
