/**
 * `npm start` as it runs in production: the compiled build (rebuilt first when a source is newer), as a child process
 * with its output kept, for the tests that start it, kill it and start it again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Started {
  proc: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved as they came. */
  output(): string;
  exited: Promise<void>;
}

/** Builds `dist/` when a source is newer than it (what `npm start` does first). */
export function buildIfStale(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'ignore' });
}

/** Starts `dist/src/main.js` with the test's environment on top of this process's. */
export function startCompiled(env: Record<string, string>): Started {
  const proc = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return { proc, output: () => output, exited };
}

/** Sends the signal (unless it has exited already) and waits until the process is gone (any child kept this way). */
export async function stopStarted(s: Pick<Started, 'proc' | 'exited'>, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill(signal);
  await s.exited;
}
