/** The most events inside any window of `ms`, over sorted instants (ms): how a rate limit is checked after the fact. */
export function busiest(times: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
