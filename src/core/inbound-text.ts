/** Inbound text before any parsing: well-formed, and capped so that no message costs more than a short one. */

/** Longer messages are not parsed at all (a polite note says so). Counted in characters (code points). */
export const MAX_TEXT_CHARS = 2000;

export const TOO_LONG_REPLY = `这条消息太长了（超过 ${MAX_TEXT_CHARS} 字），我没有处理。请分成几条短消息发送，例如：缺勤 张三 病假`;

/** Lone surrogate halves (a split emoji) become U+FFFD, so every later step sees well-formed text. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** More than `max` characters? Stops counting at max + 1, whatever the text's length. */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let n = 0;
  for (const _ of text) if (++n > max) return true;
  return false;
}

/** The first `n` characters, never splitting an emoji or any other character outside the BMP. */
export function head(text: string, n: number): string {
  let out = '';
  let i = 0;
  for (const ch of text) {
    if (i++ === n) break;
    out += ch;
  }
  return out;
}
