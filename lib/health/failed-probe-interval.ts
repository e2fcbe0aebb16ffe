import type { WeirRateLimitWindow } from '../interfaces/weir-rate-limit.interface.js';

/**
 * @internal The least time between two token requests started by failing health probes.
 *
 * Twice the sustained rate of the tightest window (2 × 300 s / 20 = 30 s by default): probes alone,
 * on an idle app whose Weir API keeps failing, then ask for at most half of the budget, leaving the
 * rest to the app. A `Retry-After` longer than that is honoured as it is.
 */
export function failedProbeIntervalMs(
  rateLimits: readonly WeirRateLimitWindow[],
  retryAfterMs = 0,
): number {
  const sustainedMs = Math.max(
    0,
    ...rateLimits.filter(({ limit }) => limit > 0).map(({ limit, windowMs }) => windowMs / limit),
  );
  return Math.max(2 * sustainedMs, retryAfterMs);
}
