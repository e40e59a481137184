/** Spawning duty-process.ts children: separate OS processes ticking the duty runner on a shared database at given instants. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TickResult {
  ran: number;
  skipped: number;
  failed: unknown[];
}

export interface DutyChild {
  child: ChildProcess;
  /** Sets the child's clock to `at`, runs one tick and answers what it ran. */
  ask(at: Date): Promise<TickResult>;
}

/** A duty process on `databaseUrl` whose clock starts at `startAt`; resolves once it is ready. */
export async function startDutyChild(databaseUrl: string, startAt: Date): Promise<DutyChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/duties/duty-process.ts', startAt.toISOString()], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('the duty process ended');
    return JSON.parse(r.value as string);
  };
  await next();
  return {
    child,
    async ask(at: Date) {
      child.stdin!.write(`${JSON.stringify({ at: at.toISOString() })}\n`);
      return next();
    },
  };
}
