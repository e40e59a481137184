/** Just enough multipart/form-data parsing for the fakes: plain fields, and each file's name and size. */
export interface Multipart {
  fields: Record<string, string>;
  files: { field: string; filename: string; bytes: number }[];
}

export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  const out: Multipart = { fields: {}, files: [] };
  if (!boundary) return out;
  const text = body.toString('latin1'); // byte-for-byte, so sizes are exact
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const head = part.slice(0, headerEnd);
    const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) out.files.push({ field: name, filename: Buffer.from(filename, 'latin1').toString('utf8'), bytes: content.length });
    else out.fields[name] = Buffer.from(content, 'latin1').toString('utf8');
  }
  return out;
}
