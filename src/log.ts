/**
 * Structured logs (pino): JSON lines in production, readable lines in a terminal. Every line passes through the
 * redactor first: tokens, secrets and students' and guardians' names never reach the log.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
import { NameRedactor, scrubValue } from './ops/redact.js';

const require = createRequire(import.meta.url);

export type { Logger };
export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  format: LogFormat;
  redactor?: NameRedactor;
  /** Where lines go (tests); stdout otherwise. */
  destination?: DestinationStream;
}

export function createLogger(o: LoggerOptions): { logger: Logger; redactor: NameRedactor } {
  const redactor = o.redactor ?? new NameRedactor();
  const pretty = o.format === 'pretty' || (o.format === 'auto' && !o.destination && process.stdout.isTTY === true);
  const options: pino.LoggerOptions = {
    level: o.level,
    base: undefined,
    hooks: {
      // The message and every argument are scrubbed before pino formats them.
      logMethod(args, method) {
        const clean = args.map((a) => scrubValue(a, redactor)) as Parameters<typeof method>;
        return method.apply(this, clean);
      },
    },
    formatters: { level: (label) => ({ level: label }) },
  };
  const destination =
    o.destination ??
    (pretty
      ? // Loaded only for a terminal, and run in this thread (a transport would start a worker thread: ~15 MB more).
        (require('pino-pretty') as typeof PinoPretty)({ translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname', destination: 1, sync: true })
      : pino.destination(1));
  return { logger: pino(options, destination), redactor };
}

/**
 * The one-line `log(line)` callback the adapters, the dispatcher and the duty runner take: a line that reports a
 * failure is a warning, the rest information.
 */
export function lineLogger(logger: Logger): (line: string) => void {
  return (line) => (/fail|dead|error|could not|cannot|429|timed? ?out/i.test(line) ? logger.warn(line) : logger.info(line));
}
