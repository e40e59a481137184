/** Spawning and killing pump-process.ts children for the slow delivery tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopStarted } from '../helpers/compiled-start.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Child {
  id: string;
  proc: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  log: string[];
}

export function spawnPump(id: string, apiRoot: string, token: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/delivery/pump-process.ts', id, apiRoot, token], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  readline.createInterface({ input: proc.stderr! }).on('line', (l) => log.push(l));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const ready = new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: proc.stdout! }).once('line', () => resolve());
    void exited.then(() => reject(new Error(`${id} exited before it was ready:\n${log.join('\n')}`)));
  });
  ready.catch(() => undefined);
  return { id, proc, ready, exited, log };
}

export const kill = (c: Child, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => stopStarted(c, signal);
