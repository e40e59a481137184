/**
 * Reads WeCom's callback XML: `<xml>` with elements holding CDATA, plain text or further elements. Nested elements
 * are named by their path (`SelectedItems.SelectedItem.QuestionKey`). WeCom's documents are this simple; a general
 * XML parser is not needed for them.
 */
const ELEMENT = /<([A-Za-z_][\w.-]*)>((?:<!\[CDATA\[[\s\S]*?\]\]>)+|[^<]*|[\s\S]*?)<\/\1>/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function readXml(xml: string): Record<string, string> {
  const body = /<xml>([\s\S]*)<\/xml>/.exec(xml)?.[1];
  if (body === undefined) throw new Error('wecom: not an <xml> document');
  const out: Record<string, string> = {};
  walk(body, '', out);
  return out;
}

function walk(s: string, prefix: string, out: Record<string, string>): void {
  for (const m of s.matchAll(ELEMENT)) {
    const [, name, content] = m as unknown as [string, string, string];
    const key = `${prefix}${name}`;
    if (content.startsWith('<![CDATA[')) out[key] = [...content.matchAll(CDATA)].map((c) => c[1]).join('');
    else if (content.includes('<')) walk(content, `${key}.`, out);
    else out[key] = content.trim().replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
  }
}
