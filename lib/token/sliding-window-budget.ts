import type { WeirRateLimitWindow } from '../interfaces/weir-rate-limit.interface.js';
import type { WeirRateBudgetGrant } from '../interfaces/weir-token-store.interface.js';

/**
 * @internal A sliding-log rate budget: at most `limit` requests in ANY `windowMs`, for each window.
 *
 * Fixed-window counters (what most rate-limit libraries keep) let twice the limit through across a
 * window boundary; the vendor does not say how it counts, so the strict reading is the safe one.
 * The log holds at most the largest limit's worth of instants.
 */
export class SlidingWindowBudget {
  private readonly sent: number[] = [];
  private pausedUntil = 0;
  private readonly keep: number;

  constructor(private readonly windows: readonly WeirRateLimitWindow[]) {
    this.keep = Math.max(0, ...windows.map((window) => window.limit));
  }

  /** Takes one request at `now` if every window allows it, else says how long until one does. */
  tryAcquire(now: number): WeirRateBudgetGrant {
    let waitMs = Math.max(0, this.pausedUntil - now);
    for (const { limit, windowMs } of this.windows) {
      if (this.sent.length < limit) continue;
      // The request `limit` places back must leave the window before another may enter it.
      const oldestInWindow = this.sent[this.sent.length - limit];
      waitMs = Math.max(waitMs, oldestInWindow + windowMs - now);
    }
    if (waitMs > 0) return { granted: false, retryAfterMs: Math.ceil(waitMs) };
    this.sent.push(now);
    if (this.sent.length > this.keep) this.sent.shift();
    return { granted: true };
  }

  /** Holds every request back until `until`, as a server's `Retry-After` asks. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}
