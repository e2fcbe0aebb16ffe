import type { WeirClock } from '../interfaces/weir-clock.interface.js';
import type {
  WeirRateBudgetGrant,
  WeirStoredToken,
  WeirTokenStore,
  WeirTokenStoreScope,
} from '../interfaces/weir-token-store.interface.js';
import { SlidingWindowBudget } from './sliding-window-budget.js';

/**
 * The default store: the token and the rate budget of this process, in memory.
 * Also the fallback the token service uses while a shared store is unreachable.
 */
export class MemoryTokenStore implements WeirTokenStore {
  // A private field: printing the store (or the options holding it) must not show the token.
  #token?: WeirStoredToken;
  private budget?: SlidingWindowBudget;
  private clock?: WeirClock;

  bind(scope: WeirTokenStoreScope): void {
    this.budget = new SlidingWindowBudget(scope.rateLimits);
    this.clock = scope.clock;
  }

  async get(): Promise<WeirStoredToken | undefined> {
    return this.#token;
  }

  async set(token: WeirStoredToken): Promise<void> {
    this.#token = token;
  }

  async delete(onlyIfAccessToken?: string): Promise<void> {
    if (onlyIfAccessToken === undefined || this.#token?.accessToken === onlyIfAccessToken) {
      this.#token = undefined;
    }
  }

  // The budget runs on the monotonic clock: a wall-clock jump must not free or block requests.
  async acquireRequestSlot(): Promise<WeirRateBudgetGrant> {
    const { budget, clock } = this.bound();
    return budget.tryAcquire(clock.now());
  }

  async pauseRequests(untilEpochMs: number): Promise<void> {
    const { budget, clock } = this.bound();
    budget.pause(clock.now() + (untilEpochMs - clock.wallNow()));
  }

  private bound(): { budget: SlidingWindowBudget; clock: WeirClock } {
    if (!this.budget || !this.clock) throw new Error('MemoryTokenStore used before bind()');
    return { budget: this.budget, clock: this.clock };
  }
}
