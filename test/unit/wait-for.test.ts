/** The shared wait loop: it returns the condition's first truthy value, and a timeout names what it waited for. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';

describe('waitFor', () => {
  it('polls until the condition holds and returns its value, sync or async', async () => {
    let n = 0;
    expect(await waitFor(() => ++n >= 3 && `after ${n} polls`, { what: 'three polls', intervalMs: 1 })).toBe('after 3 polls');
    let m = 0;
    expect(await waitFor(async () => (++m === 2 ? { m } : undefined), { what: 'the second poll', intervalMs: 1 })).toEqual({ m: 2 });
  });

  it('gives up naming what it waited for, with the state at that moment when `what` is a function', async () => {
    await expect(waitFor(() => false, { what: 'the answer', timeoutMs: 30, intervalMs: 5 })).rejects.toThrow('timed out after 30 ms waiting for the answer');
    const seen = ['a', 'b'];
    await expect(waitFor(() => seen.includes('c'), { what: () => `c among ${seen.join(',')}`, timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      'waiting for c among a,b',
    );
  });

  it('a condition that throws fails at once with its own error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('boom');
        },
        { what: 'nothing' },
      ),
    ).rejects.toThrow('boom');
  });
});
