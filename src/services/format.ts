/** Small formatting helpers shared by replies and alerts. */
import type { DateStr } from '../domain/types.js';
import type { StudentFull } from '../store/org.repository.js';

export type Lang = 'zh-CN' | 'en';

/** Picks the text for the configured language. */
export function L(lang: Lang, zh: string, en: string): string {
  return lang === 'en' ? en : zh;
}

/** 11月20日 / Nov 20 */
export function dayLabel(d: DateStr, lang: Lang = 'zh-CN'): string {
  const [, m, day] = d.split('-').map(Number);
  return lang === 'en' ? `${d}` : `${m}月${day}日`;
}

export function studentLine(s: StudentFull): string {
  return `${s.name}（${s.class.school.name} ${s.class.name}，学籍号尾号${s.studentNo.slice(-4)}）`;
}

export function homeLine(s: StudentFull): string {
  const where = `${s.village.town.name} ${s.village.name}${s.groupName ? ` ${s.groupName}` : ''}`;
  const guardian = s.guardian ? `；监护人：${s.guardian}${s.guardianPhone ? ` ${s.guardianPhone}` : ''}` : '';
  return `住址：${where}${guardian}`;
}
