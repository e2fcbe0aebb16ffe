/**
 * The largest number of `instants` (ms, in any order) inside any span of `windowMs`, closed at the
 * start and open at the end: what a sliding-window rate limit of that span counts at its fullest.
 */
export function busiestWindow(instants: readonly number[], windowMs: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= windowMs) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}
