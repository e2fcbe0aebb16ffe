import type { LoggerService } from '@nestjs/common';
import type {
  WeirRateBudgetGrant,
  WeirStoredToken,
  WeirTokenStore,
  WeirTokenStoreLock,
  WeirTokenStoreScope,
} from '../interfaces/weir-token-store.interface.js';
import { MemoryTokenStore } from './memory-token.store.js';

/** @internal `tryLock` outcome when the store cannot lock (it serves one process, or is down). */
export const NO_SHARED_LOCK = Symbol('NO_SHARED_LOCK');

/** @internal How long the store is left alone after it failed, before it is asked again. */
const STORE_RETRY_AFTER_MS = 5_000;

/**
 * @internal Puts a time bound on every call to the configured store and falls back to a
 * process-local `MemoryTokenStore` while the store fails or is slow: an unreachable Redis degrades
 * sharing, never token delivery. It says so in the log once when sharing stops and once when it
 * resumes.
 */
export class ResilientTokenStore {
  private readonly local: MemoryTokenStore;
  /** False when the configured store is the process-local one itself: then there is nothing to mirror. */
  private readonly mirrored: boolean;
  private unavailableUntil = 0;
  private degraded = false;
  private scope?: WeirTokenStoreScope;
  /** The store's `bind`: one that failed is tried again before the store's next call. */
  private binding?: Promise<void>;
  private bound = false;

  constructor(
    private readonly shared: WeirTokenStore,
    private readonly timeoutMs: number,
    private readonly logger: LoggerService,
    private readonly now: () => number,
  ) {
    this.local = shared instanceof MemoryTokenStore ? shared : new MemoryTokenStore();
    this.mirrored = shared !== this.local;
  }

  async bind(scope: WeirTokenStoreScope): Promise<void> {
    if (this.mirrored) this.local.bind(scope);
    this.scope = scope;
    // A store that fails to bind now is bound again before its next call (see bindThen).
    await this.call('bind', () => this.bindShared(), undefined);
  }

  get(): Promise<WeirStoredToken | undefined> {
    return this.call(
      'get',
      () => this.shared.get(),
      () => this.local.get(),
    );
  }

  async set(token: WeirStoredToken): Promise<void> {
    if (this.mirrored) await this.local.set(token);
    await this.call('set', () => this.shared.set(token), undefined);
  }

  async delete(onlyIfAccessToken?: string): Promise<void> {
    if (this.mirrored) await this.local.delete(onlyIfAccessToken);
    await this.call('delete', () => this.shared.delete(onlyIfAccessToken), undefined);
  }

  async acquireRequestSlot(): Promise<WeirRateBudgetGrant> {
    const grant = await this.call(
      'acquireRequestSlot',
      () => this.shared.acquireRequestSlot(),
      undefined,
    );
    if (grant === undefined) return this.local.acquireRequestSlot();
    // The local log counts this process's requests too, so that falling back later starts honest.
    if (grant.granted && this.mirrored) await this.local.acquireRequestSlot();
    return grant;
  }

  async pauseRequests(untilEpochMs: number): Promise<void> {
    if (this.mirrored) await this.local.pauseRequests(untilEpochMs);
    await this.call('pauseRequests', () => this.shared.pauseRequests(untilEpochMs), undefined);
  }

  async tryLock(ttlMs: number): Promise<WeirTokenStoreLock | undefined | typeof NO_SHARED_LOCK> {
    const tryLock = this.shared.tryLock?.bind(this.shared);
    if (!tryLock) return NO_SHARED_LOCK;
    const lock = await this.call('tryLock', () => tryLock(ttlMs), NO_SHARED_LOCK);
    if (lock === NO_SHARED_LOCK || lock === undefined) return lock;
    return { release: () => this.call('release', () => lock.release(), undefined) };
  }

  async waitForToken(
    notAccessToken: string | undefined,
    timeoutMs: number,
  ): Promise<WeirStoredToken | undefined> {
    const waitForToken = this.shared.waitForToken?.bind(this.shared);
    if (!waitForToken) return undefined;
    // Waiting is the point of this call, so its bound is the caller's, not the store's.
    return this.call(
      'waitForToken',
      () => waitForToken(notAccessToken, timeoutMs),
      undefined,
      timeoutMs + this.timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.call('close', () => Promise.resolve(this.shared.close?.()), undefined);
  }

  /**
   * Runs one store call within the time bound. On failure or time-out it answers what `fallback`
   * gives (a value, or the local store's answer) and leaves the store alone for a while.
   */
  private async call<T, F>(
    operation: string,
    run: () => Promise<T>,
    fallback: F | (() => Promise<F>),
    timeoutMs = this.timeoutMs,
  ): Promise<T | F> {
    const answerFallback = () =>
      typeof fallback === 'function' ? (fallback as () => Promise<F>)() : fallback;
    if (this.now() < this.unavailableUntil) return answerFallback();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      });
      const result = await Promise.race([this.bindThen(run), timeout]);
      this.markAvailable();
      return result;
    } catch (error) {
      this.markUnavailable(operation, error);
      return answerFallback();
    } finally {
      clearTimeout(timer);
    }
  }

  private async bindThen<T>(run: () => Promise<T>): Promise<T> {
    if (!this.bound) await this.bindShared();
    return run();
  }

  /** Shared by concurrent calls; forgotten on failure, so that the next call tries again. */
  private bindShared(): Promise<void> {
    const scope = this.scope;
    if (!scope) return Promise.resolve();
    this.binding ??= Promise.resolve()
      .then(() => this.shared.bind(scope))
      .then(
        () => {
          this.bound = true;
        },
        (error: unknown) => {
          this.binding = undefined;
          throw error;
        },
      );
    return this.binding;
  }

  private markUnavailable(operation: string, error: unknown): void {
    this.unavailableUntil = this.now() + STORE_RETRY_AFTER_MS;
    if (this.degraded) return;
    this.degraded = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `Token store unavailable (${operation}: ${reason.slice(0, 200)}); using process-local tokens and rate budget until it answers again`,
    );
  }

  private markAvailable(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Token store reachable again; tokens and rate budget are shared again');
  }
}
