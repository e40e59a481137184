/**
 * The one wait loop of the tests: polls a condition until it holds, and fails naming what it waited for (and, when
 * `what` is a function, the state at the moment it gave up). A bound on waiting for something that should happen,
 * never an assertion about how long it took.
 */
import { performance } from 'node:perf_hooks';

export interface WaitOptions {
  /** What is awaited, for the failure: "the bot's answer", or a function called at failure time. */
  what: string | (() => string);
  /** How long to keep polling before failing; 10 s unless said. */
  timeoutMs?: number;
  /** Pause between polls; 20 ms unless said. */
  intervalMs?: number;
}

/** Resolves with the condition's first truthy value; rejects once `timeoutMs` passed without one. */
export async function waitFor<T>(cond: () => T | Promise<T>, o: WaitOptions): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as Exclude<T, false | 0 | '' | null | undefined>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof o.what === 'function' ? o.what() : o.what}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 20));
  }
}
