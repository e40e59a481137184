/** The seeded randomness and the name lists every synthetic county draws from, so a county is the same on every machine. */

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const BOY =
  '子轩 浩然 宇轩 梓豪 俊杰 浩宇 子涵 博文 一鸣 天佑 明轩 志强 家乐 思远 文博 晨阳 建国 嘉豪 宇航 睿 杰 磊 鹏 涛 洋 浩 俊 晨 阳 毅 昊 凯 斌 强 伟 勇 军 帅 辉 宁 成 航 鑫 旭 泽宇 子墨 奕辰 佳乐 国庆 春生 小龙 小虎 金宝 振华 宏伟 志明 海洋 东升 永康'.split(
    ' ',
  );
export const GIRL =
  '梓涵 欣怡 诗涵 雨桐 子萱 佳怡 思琪 可馨 雨欣 婉婷 梦瑶 雅静 晓燕 春燕 秀英 丽娟 慧敏 静怡 紫涵 若曦 芳 丽 敏 静 婷 雪 颖 琳 倩 洁 萍 红 霞 娟 丹 悦 瑶 妍 晴 月 桂英 小红 小芳 金凤 美玲 玉兰 海燕 晓梅 诗雨 语桐 一诺 心怡 安琪 嘉欣 甜甜 欢欢'.split(
    ' ',
  );
export const GROUPS = ['一组', '二组', '三组', '四组', '五组'];

export interface Namer {
  rand: () => number;
  pick<T>(xs: readonly T[]): T;
  surname(): string;
  /** An 11-digit mobile number. */
  phone(): string;
  personName(female: boolean): string;
  /** A name no other staff member of this county has, so `invite <姓名>` finds one person. */
  staffName(female: boolean): string;
  /** A guardian's name in the student's family: a grandparent's when the parents are away. */
  guardianName(family: string, grandparent: boolean): string;
}

export function namer(seed: number): Namer {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const surname = () => SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
  const personName = (female: boolean) => surname() + (female ? pick(GIRL) : pick(BOY));
  const usedNames = new Set<string>();
  return {
    rand,
    pick,
    surname,
    phone: () => `1${pick(['3', '5', '7', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
    personName,
    staffName(female) {
      for (;;) {
        const n = personName(female);
        if (!usedNames.has(n)) return (usedNames.add(n), n);
      }
    },
    guardianName: (family, grandparent) => (grandparent ? `${family}${pick(['德', '福', '贵', '桂'])}${pick(['华', '英', '林', '兰'])}` : family + pick(BOY)),
  };
}
