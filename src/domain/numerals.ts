/** Numbers as teachers type them: Arabic, full-width, Chinese (everyday and financial forms), negatives. */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  贰: 2,
  两: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
};
const UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const TENS: Record<string, number> = { 廿: 20, 卅: 30 };

/** Regex source matching one numeral token (with an optional sign). */
export const NUMERAL_SOURCE = '(?:[-－负]\\s*)?(?:[0-9０-９]+|[零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟廿卅]+)';

export function toHalfWidth(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function chineseValue(s: string): number | undefined {
  let total = 0;
  let current = 0;
  let sawAny = false;
  for (const ch of s) {
    if (ch in DIGITS) {
      current = current * 10 + DIGITS[ch]!; // 一〇二 style digit strings, or a digit before a unit
      sawAny = true;
    } else if (ch in UNITS) {
      total += (current === 0 ? 1 : current) * UNITS[ch]!;
      current = 0;
      sawAny = true;
    } else if (ch in TENS) {
      total += TENS[ch]!;
      sawAny = true;
    } else return undefined;
  }
  return sawAny ? total + current : undefined;
}

/** One numeral with an optional sign (`-3`, `负三`, `４５`). No backtracking: the sign is one character, then spaces. */
export function parseNumber(token: string): number | undefined {
  const t = toHalfWidth(token.trim());
  const negative = /^[-－负]/.test(t);
  const body = negative ? t.slice(1).trimStart() : t;
  if (!body) return undefined;
  const value = /^[0-9]+$/.test(body) ? Number(body) : chineseValue(body);
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

const NONZERO_DIGIT = /[一壹二贰两三叁四肆五伍六陆七柒八捌九玖]/;

/**
 * A Chinese numeral that is a range, not a number: two non-zero digits side by side (三四个, 一两个, 四五十, 两三).
 * 一〇二 (digit by digit, with a zero) and 四十五 (with a unit) are numbers.
 */
export function isNumeralRange(token: string): boolean {
  const t = token.replace(/^[-－负]\s*/, '');
  if (/[零〇]/.test(t)) return false;
  const chars = [...t];
  return chars.some((c, i) => i > 0 && NONZERO_DIGIT.test(c) && NONZERO_DIGIT.test(chars[i - 1]!));
}
