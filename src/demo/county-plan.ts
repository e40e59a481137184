/**
 * The shape of a generated county: towns, their villages, schools and classes, sized for a number of students.
 * One town per ~3,000 pupils, 15 villages a town. Each town has a town-centre primary (all of grades 4–6 and most of
 * 1–3) and a town-centre junior high drawing from the whole town; village teaching points (村小, grades 1–2 or 1–3,
 * one class a grade); every third town a nine-year school. The first town is the county seat (城关镇), about twice
 * the size of the others. Classes hold 40–55 pupils and add up to exactly the students asked for.
 */
import type { Stage } from '../domain/types.js';
import type { Namer } from './random-names.js';

export interface ClassPlan {
  stage: Stage;
  grade: number;
  classNo: number;
  size: number;
}

export type SchoolRole = 'centre_primary' | 'centre_junior' | 'village_primary' | 'nine_year';

export interface SchoolPlan {
  name: string;
  town: string;
  role: SchoolRole;
  classes: ClassPlan[];
  /** Villages of the school's town its pupils live in, with weights. */
  catchment: [village: string, weight: number][];
}

export interface TownPlan {
  name: string;
  villages: string[];
  schools: SchoolPlan[];
}

export const MIN_STUDENTS = 2_000;
export const MAX_STUDENTS = 120_000;
export const CLASS_MIN = 40;
export const CLASS_MAX = 55;
export const VILLAGES_PER_TOWN = 15;
const PUPILS_PER_TOWN = 3_000;
const JUNIOR_SHARE = 0.32;
const MEAN_CLASS = 45;

const TOWN_STEMS =
  '城关 青石 柳河 龙泉 白云 金山 凤岗 马场 茶山 双江 新店 石门 桃源 清水 高峰 大河 长坪 黄土 平寨 永安 兴隆 太平 红花 古城 松坡 三合 牛角 云雾 水田 羊坪 观音 乐平 安场 仁和 沙溪 五马 铜鼓 天星 梅子 白马'.split(
    ' ',
  );
const VILLAGE_STEMS =
  '东山 石桥 柳塘 河湾 杨家 王家 李家 张家 刘家 陈家 黄家 赵家 周家 吴家 马家 高坪 龙井 凤凰 金竹 银杏 松林 竹园 桃园 梨树 枫木 白岩 黑石 红岩 青山 绿水 大坪 小坪 长冲 新寨 老寨 上寨 下寨 中寨 田坝 水口 岩脚 坡头 沙坝 河口 溪口 塘边 井边 桥头 庙坝 官庄 牛场 羊场 茶园 花园 果园 麻园 桑园 柏林 杉树 槐树 樟树 光明 胜利 红星 团结 和平 幸福 民主 前进 建设 联合 群益 双河 三岔 五里 七星 九龙 十里'.split(
    ' ',
  );

/** A size in 40–55, most classes in the low 40s as in rural schools. */
const classSize = (rand: () => number) => CLASS_MIN + Math.floor((CLASS_MAX - CLASS_MIN + 1) * rand() * rand());

export function planCounty(students: number, n: Namer): TownPlan[] {
  if (!Number.isInteger(students) || students < MIN_STUDENTS || students > MAX_STUDENTS) {
    throw new RangeError(`学生数应为 ${MIN_STUDENTS}–${MAX_STUDENTS} 之间的整数，收到 ${students}`);
  }
  const { rand } = n;
  const townCount = Math.max(2, Math.round(students / PUPILS_PER_TOWN));
  const weights = Array.from({ length: townCount }, (_, i) => (i === 0 ? 1.8 : 0.8 + 0.4 * rand()));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const towns = weights.map((w, i) => planTown(i, (students * w) / totalWeight, n));
  fitClassCount(towns, students, rand);
  fitTotal(
    towns.flatMap((t) => t.schools.flatMap((s) => s.classes)),
    students,
    rand,
  );
  return towns;
}

function planTown(index: number, pupils: number, n: Namer): TownPlan {
  const { rand } = n;
  const name = `${TOWN_STEMS[index % TOWN_STEMS.length]}${index >= TOWN_STEMS.length ? '新' : ''}${index > 0 && rand() < 0.3 ? '乡' : '镇'}`;
  const stems = [...VILLAGE_STEMS];
  const villages = Array.from({ length: VILLAGES_PER_TOWN }, () => `${stems.splice(Math.floor(rand() * stems.length), 1)[0]}村`);
  const villageWeight = new Map(villages.map((v, i) => [v, i === 0 ? 3 : 0.5 + rand()]));
  const near = (i: number, spread: number, own: number): [string, number][] =>
    villages.map((v, j) => [v, j === i ? own : Math.abs(j - i) <= spread ? 1 : 0] as [string, number]).filter(([, w]) => w > 0);
  const grades = (stage: Stage, from: number, to: number, classes: (g: number) => number): ClassPlan[] => {
    const out: ClassPlan[] = [];
    for (let g = from; g <= to; g++) for (let c = 1; c <= classes(g); c++) out.push({ stage, grade: g, classNo: c, size: classSize(rand) });
    return out;
  };
  const schools: SchoolPlan[] = [];
  // About one teaching point per 600 pupils; the county seat's villages are suburbs of the centre, so fewer there.
  const teachingPoints = Math.max(1, Math.min(index === 0 ? 3 : 5, Math.round(pupils / 600)));
  for (let k = 0; k < teachingPoints; k++) {
    const v = 2 + k * 2;
    schools.push({
      name: `${name}${villages[v]}小学`,
      town: name,
      role: 'village_primary',
      classes: grades('primary', 1, rand() < 0.6 ? 3 : 2, () => 1),
      catchment: near(v, 1, 8),
    });
  }
  if (index % 3 === 1 && pupils >= 1_500) {
    const v = VILLAGES_PER_TOWN - 2;
    schools.push({
      name: `${name}${villages[v]}九年一贯制学校`,
      town: name,
      role: 'nine_year',
      classes: [...grades('primary', 1, 6, () => 1), ...grades('junior', 1, 3, () => 1)],
      catchment: near(v, 2, 4),
    });
  }
  const taken = (stage: Stage, g: number) => schools.flatMap((s) => s.classes).filter((c) => c.stage === stage && c.grade === g).length * MEAN_CLASS;
  const perGrade = (stage: Stage, share: number, count: number) => (g: number) =>
    Math.max(1, Math.round(((pupils * share) / count - taken(stage, g)) / MEAN_CLASS));
  const all = [...villageWeight];
  schools.unshift(
    { name: `${name}中心小学`, town: name, role: 'centre_primary', classes: grades('primary', 1, 6, perGrade('primary', 1 - JUNIOR_SHARE, 6)), catchment: all },
    { name: `${name}初级中学`, town: name, role: 'centre_junior', classes: grades('junior', 1, 3, perGrade('junior', JUNIOR_SHARE, 3)), catchment: all },
  );
  return { name, villages, schools };
}

/** Adds or removes town-centre classes (never a grade's last) until classes of 40–55 can hold exactly `target`. */
function fitClassCount(towns: TownPlan[], target: number, rand: () => number): void {
  const schools = towns.flatMap((t) => t.schools);
  const centres = schools.filter((s) => s.role === 'centre_primary' || s.role === 'centre_junior');
  const total = () => schools.reduce((a, s) => a + s.classes.length, 0);
  const inGrade = (s: SchoolPlan, c: ClassPlan) => s.classes.filter((x) => x.grade === c.grade);
  while (target > CLASS_MAX * total()) {
    const s = centres[Math.floor(rand() * centres.length)]!;
    const grade = inGrade(s, s.classes[Math.floor(rand() * s.classes.length)]!);
    const last = grade[grade.length - 1]!;
    s.classes.splice(s.classes.indexOf(last) + 1, 0, { ...last, classNo: last.classNo + 1, size: classSize(rand) });
  }
  while (target < CLASS_MIN * total()) {
    const removable = centres.flatMap((s) => s.classes.filter((c) => c.classNo > 1 && c.classNo === inGrade(s, c).length).map((c) => ({ s, c })));
    if (!removable.length) throw new RangeError(`${target} 名学生太少，装不满一个县的学校`);
    const { s, c } = removable[Math.floor(rand() * removable.length)]!;
    s.classes.splice(s.classes.indexOf(c), 1);
  }
}

/** Moves class sizes one pupil at a time, within 40–55, until they add up to `target`. */
function fitTotal(classes: ClassPlan[], target: number, rand: () => number): void {
  let diff = target - classes.reduce((a, c) => a + c.size, 0);
  while (diff !== 0) {
    const c = classes[Math.floor(rand() * classes.length)]!;
    if (diff > 0 && c.size < CLASS_MAX) c.size++, diff--;
    else if (diff < 0 && c.size > CLASS_MIN) c.size--, diff++;
  }
}
