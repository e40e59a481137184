/**
 * The demo county (示范县): deterministic, realistic enough to try every duty. It is rendered as the same tables an
 * import reads, so it passes through the same validation and writer as a real roster.
 */
import { ATTENTION_LABELS, ROLE_LABELS, STAGE_LABELS, type AttentionKind, type Role, type Stage } from '../domain/types.js';
import { className } from '../roster/grades.js';
import type { PersonRecord, StudentRecord, Table } from '../roster/types.js';

/** mulberry32: a small seeded PRNG, so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const BOY = '子轩 浩然 宇轩 梓豪 俊杰 浩宇 子涵 博文 一鸣 天佑 明轩 志强 家乐 思远 文博 晨阳 建国 嘉豪 宇航 睿 杰 磊 鹏 涛 洋 浩 俊 晨 阳 毅 昊 凯 斌 强 伟 勇 军 帅 辉 宁 成 航 鑫 旭 泽宇 子墨 奕辰 佳乐 国庆 春生 小龙 小虎 金宝 振华 宏伟 志明 海洋 东升 永康'.split(' ');
const GIRL = '梓涵 欣怡 诗涵 雨桐 子萱 佳怡 思琪 可馨 雨欣 婉婷 梦瑶 雅静 晓燕 春燕 秀英 丽娟 慧敏 静怡 紫涵 若曦 芳 丽 敏 静 婷 雪 颖 琳 倩 洁 萍 红 霞 娟 丹 悦 瑶 妍 晴 月 桂英 小红 小芳 金凤 美玲 玉兰 海燕 晓梅 诗雨 语桐 一诺 心怡 安琪 嘉欣 甜甜 欢欢'.split(' ');
const GROUPS = ['一组', '二组', '三组', '四组', '五组'];

const TOWNS: { name: string; villages: string[] }[] = [
  { name: '青石镇', villages: ['东山村', '石桥村', '柳塘村'] },
  { name: '柳河镇', villages: ['河湾村', '杨家村'] },
];

interface SchoolPlan {
  name: string;
  town: string;
  /** stage, grade, classes in that grade, students per class */
  grades: [Stage, number, number, number][];
  /** villages its students come from, with weights */
  catchment: [string, string, number][];
}

const SCHOOLS: SchoolPlan[] = [
  {
    name: '青石镇中心小学',
    town: '青石镇',
    grades: [['primary', 1, 1, 30], ['primary', 2, 1, 31], ['primary', 3, 2, 29], ['primary', 4, 1, 32], ['primary', 5, 1, 30], ['primary', 6, 1, 31]],
    catchment: [['青石镇', '东山村', 3], ['青石镇', '石桥村', 2], ['青石镇', '柳塘村', 1]],
  },
  {
    name: '柳河镇初级中学',
    town: '柳河镇',
    grades: [['junior', 1, 2, 36], ['junior', 2, 2, 35], ['junior', 3, 2, 33]],
    catchment: [['柳河镇', '河湾村', 3], ['柳河镇', '杨家村', 3], ['青石镇', '石桥村', 1]],
  },
  {
    name: '青石镇九年一贯制学校',
    town: '青石镇',
    grades: [['primary', 1, 1, 18], ['primary', 2, 1, 17], ['primary', 3, 1, 19], ['primary', 4, 1, 18], ['primary', 5, 1, 16], ['primary', 6, 1, 18], ['junior', 1, 1, 22], ['junior', 2, 1, 21], ['junior', 3, 1, 20]],
    catchment: [['青石镇', '柳塘村', 3], ['青石镇', '东山村', 1]],
  },
];

const STAFF_ATTENTION: AttentionKind[] = ['left_behind', 'left_behind', 'left_behind', 'poor', 'poor', 'single_parent', 'other_guardian', 'disabled_parents', 'learning_difficulty', 'behaviour'];

export function generateDemoCounty(seed = 42): { people: PersonRecord[]; students: StudentRecord[] } {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const surname = () => SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
  const phone = () => `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
  const personName = (female: boolean) => surname() + (female ? pick(GIRL) : pick(BOY));
  const usedNames = new Set<string>();
  const staffName = (female: boolean) => {
    for (;;) {
      const n = personName(female);
      if (!usedNames.has(n)) return usedNames.add(n), n;
    }
  };

  const students: StudentRecord[] = [];
  let seq = 0;
  for (const school of SCHOOLS) {
    for (const [stage, grade, classes, size] of school.grades) {
      for (let classNo = 1; classNo <= classes; classNo++) {
        const inClass = new Set<string>();
        for (let i = 0; i < size; i++) {
          const female = rand() < 0.48;
          let name = personName(female);
          while (inClass.has(name)) name = personName(female);
          inClass.add(name);
          const totalWeight = school.catchment.reduce((n, c) => n + c[2], 0);
          let r = rand() * totalWeight;
          const [town, village] = school.catchment.find((c) => (r -= c[2]) < 0) ?? school.catchment[0]!;
          const attention: AttentionKind[] = rand() < 0.15 ? [pick(STAFF_ATTENTION)] : [];
          if (attention.length && rand() < 0.2) {
            const extra = pick(STAFF_ATTENTION);
            if (!attention.includes(extra)) attention.push(extra);
          }
          const family = name[0]!;
          const guardian = attention.includes('left_behind') || attention.includes('other_guardian') ? `${family}${pick(['德', '福', '贵', '桂'])}${pick(['华', '英', '林', '兰'])}` : family + pick(BOY);
          const birthYear = 2026 - (stage === 'junior' ? grade + 6 : grade) - 6;
          const birth = `${birthYear}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
          students.push({
            line: students.length + 2,
            studentNo: `G52272${birth}${String(++seq).padStart(4, '0')}`,
            name,
            gender: female ? 'F' : 'M',
            school: school.name,
            stage,
            grade,
            classNo,
            className: className(stage, grade, classNo),
            town,
            village,
            group: pick(GROUPS),
            guardian,
            guardianPhone: phone(),
            attention,
          });
        }
      }
    }
  }

  const people: PersonRecord[] = [];
  const add = (role: Role, female: boolean, place: Omit<PersonRecord, 'line' | 'staffId' | 'name' | 'role' | 'phone'>) =>
    people.push({ line: people.length + 2, staffId: `T${String(people.length + 1).padStart(4, '0')}`, name: staffName(female), role, ...place, phone: phone() });
  add('county', false, {});
  for (const t of TOWNS) add('town', rand() < 0.3, { town: t.name });
  for (const t of TOWNS) for (const v of t.villages) add('village', rand() < 0.2, { town: t.name, village: v });
  for (const s of SCHOOLS) add('principal', rand() < 0.4, { town: s.town, school: s.name });
  for (const s of SCHOOLS) {
    for (const [stage, grade, classes] of s.grades) {
      for (let c = 1; c <= classes; c++) add('class_teacher', rand() < 0.6, { school: s.name, className: className(stage, grade, c) });
    }
  }
  for (const s of SCHOOLS) {
    const [stage, grade] = s.grades[0]!;
    add('subject_teacher', rand() < 0.5, { school: s.name, className: className(stage, grade, 1) });
    add('subject_teacher', rand() < 0.5, { school: s.name });
  }
  return { people, students };
}

const STUDENT_HEADER = ['学籍号', '姓名', '性别', '学校', '学段', '年级', '班级', '镇', '村', '组', '监护人', '联系电话', '重点关注类别'];
const PEOPLE_HEADER = ['工号', '姓名', '角色', '镇', '村', '学校', '班级', '手机'];
const GRADE_LABEL = (stage: Stage, g: number) => (stage === 'junior' ? `初${'一二三'[g - 1]}` : `${'一二三四五六'[g - 1]}年级`);

/** The demo county as the two sheets a county office would fill in. */
export function demoTables(seed = 42): { people: Table; students: Table } {
  const { people, students } = generateDemoCounty(seed);
  const row = (header: string[], line: number, values: string[]) => ({ line, cells: Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])) });
  return {
    students: {
      header: STUDENT_HEADER,
      rows: students.map((s) =>
        row(STUDENT_HEADER, s.line, [s.studentNo, s.name, s.gender === 'F' ? '女' : '男', s.school, STAGE_LABELS[s.stage], GRADE_LABEL(s.stage, s.grade), `${s.classNo}班`, s.town, s.village, s.group ?? '', s.guardian ?? '', s.guardianPhone ?? '', s.attention.map((a) => ATTENTION_LABELS[a]).join('、')]),
      ),
    },
    people: {
      header: PEOPLE_HEADER,
      rows: people.map((p) => row(PEOPLE_HEADER, p.line, [p.staffId, p.name, ROLE_LABELS[p.role], p.town ?? '', p.village ?? '', p.school ?? '', p.className ?? '', p.phone ?? ''])),
    },
  };
}
