/**
 * @internal When a token enters its refresh window: the last `aheadMs` of its life or the last
 * `ratio` of it, whichever is shorter, so short-lived tokens are not refreshed almost at once.
 */
export function refreshWindowMs(lifetimeMs: number, aheadMs: number, ratio: number): number {
  return Math.min(aheadMs, lifetimeMs * ratio);
}

/**
 * @internal A token is no longer handed out this close to its expiry (2 % of its life, at most 5 s):
 * a request signed with it could not reach the API before it dies.
 */
export function expirySafetyMarginMs(lifetimeMs: number): number {
  return Math.min(5_000, lifetimeMs * 0.02);
}
