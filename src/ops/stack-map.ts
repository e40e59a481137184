/**
 * Stack traces of the compiled start (`dist/`) point at the TypeScript source, as `--enable-source-maps` would make
 * them, without its cost: node's flag reads and parses the source map of every module that has one, the platform
 * SDKs' too, at load (about 20 MB resident and 0.2 s of the start with three platforms, measured by the footprint
 * bench). Here a frame in one of this project's compiled files is mapped when a stack is formatted, from that file's
 * own map, read the first time an error passes through it. Other frames stay as node prints them.
 */
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, SourceMap | null>();

/** The source map of a compiled file under `root`, or null (none, unreadable, or not ours). */
function mapOf(file: string, root: string): SourceMap | null {
  let m = maps.get(file);
  if (m !== undefined) return m;
  m = null;
  if (file.startsWith(root) && file.endsWith('.js') && !file.includes(`${path.sep}node_modules${path.sep}`)) {
    try {
      m = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      m = null;
    }
  }
  maps.set(file, m);
  return m;
}

/** One frame, its location replaced by the source's when the compiled file has a map that knows it. */
export function mappedFrame(frame: NodeJS.CallSite, root: string): string {
  const text = String(frame);
  const name = frame.getFileName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (!name || !line || !column) return text;
  const file = name.startsWith('file:') ? fileURLToPath(name) : name;
  const entry = mapOf(file, root)?.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry) || !entry.originalSource) return text;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
  return text.replace(`${name}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
}

/** Maps this project's frames in every stack formatted from now on; `root` is the compiled tree (dist/). */
export function mapStacksUnder(root: string): void {
  const dir = root.endsWith(path.sep) ? root : root + path.sep;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    let head: string;
    try {
      head = String(error);
    } catch {
      head = '<error>';
    }
    return head + frames.map((f) => `\n    at ${mappedFrame(f, dir)}`).join('');
  };
}
