/**
 * @internal Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^n)).
 * Jitter spreads the retries of many instances that failed together, so they do not return together.
 */
export function fullJitterDelayMs(
  retryIndex: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** @internal A deterministic exponential delay, min(max, base * 2^n), for holding back after failures. */
export function exponentialDelayMs(
  retryIndex: number,
  baseDelayMs: number,
  maxDelayMs: number,
): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);
}
