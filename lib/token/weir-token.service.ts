import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { inspect } from 'node:util';
import { Subject, type Observable } from 'rxjs';
import { WeirAuthErrorCode } from '../errors/weir-auth-error-code.js';
import { WeirAuthError } from '../errors/weir-auth.error.js';
import type { WeirAccessToken } from '../interfaces/weir-access-token.interface.js';
import type { WeirStoredToken } from '../interfaces/weir-token-store.interface.js';
import type { WeirTokenStatus } from '../interfaces/weir-token-status.interface.js';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';
import { WEIR_AUTH_RESOLVED_OPTIONS } from '../weir-auth.constants.js';
import { exponentialDelayMs, fullJitterDelayMs } from './backoff.js';
import { NO_SHARED_LOCK, ResilientTokenStore } from './resilient-token.store.js';
import { expirySafetyMarginMs, refreshWindowMs } from './token-timing.js';
import { systemClock } from './system-clock.js';
import { toWeirAccessToken } from './weir-access-token.js';
import { shuttingDownError, WeirTokenEndpointClient } from './weir-token-endpoint.client.js';
import { createTokenStoreScope } from './weir-token-store-scope.js';

/** A token as this process holds it, with its instants on the monotonic clock. */
interface CachedToken {
  readonly token: WeirAccessToken;
  readonly stored: WeirStoredToken;
  readonly refreshAt: number;
  readonly usableUntil: number;
}

/** The last failure and when the next token request may be sent (monotonic). */
interface FailureHold {
  readonly error: WeirAuthError;
  readonly count: number;
  readonly retryAt: number;
}

/** Held back after transient failures: 1 s, doubling, at most 30 s, so an outage is not hammered. */
const TRANSIENT_HOLD_BASE_MS = 1_000;
const TRANSIENT_HOLD_MAX_MS = 30_000;
/** A 429 without any rate-limit header still pauses requests this long. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;
/** Rounds of "another instance holds the lock; wait for its token" before fetching regardless. */
const MAX_LOCK_ROUNDS = 3;
/** Tokens rejected by a 401 or a forced refresh are remembered so a shared store cannot hand them back. */
const REJECTED_TOKENS_KEPT = 16;

/**
 * Obtains, caches and refreshes the Weir bearer token.
 *
 * - One token request at a time, however many callers (single flight), each bounded in time.
 * - The cached token is served at once; in its refresh window one background refresh runs while
 *   callers keep the cached token (stale-while-revalidate). Callers wait only when no valid token exists.
 * - Token requests stay inside the client's rate budget and honour `Retry-After`; invalid credentials
 *   and outages hold further requests back instead of hammering the endpoint.
 */
@Injectable()
export class WeirTokenService implements OnModuleInit, OnModuleDestroy {
  /** Emits every newly obtained token (fetched here, or published by another instance). */
  readonly tokenChanges$: Observable<WeirAccessToken>;

  private readonly changes = new Subject<WeirAccessToken>();
  private readonly endpoint: WeirTokenEndpointClient;
  private readonly store: ResilientTokenStore;
  private readonly rejected = new Set<string>();
  private cached?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private failure?: FailureHold;
  private timer?: NodeJS.Timeout;
  /**
   * True while the cached token is before its refresh window, as an unref'd timer on the system
   * clock says: the hot path then reads no clock (a clock read costs as much as the rest of it).
   * With an injected clock it stays false and the hot path asks the clock.
   */
  private fresh = false;
  private freshnessTimer?: NodeJS.Timeout;
  private binding?: Promise<void>;
  private destroyed = false;
  /** Aborted on module destroy: wakes every backoff and budget wait, so close() is not held up. */
  private readonly shutdown = new AbortController();

  constructor(
    @Inject(WEIR_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedWeirAuthOptions,
  ) {
    this.tokenChanges$ = this.changes.asObservable();
    this.endpoint = new WeirTokenEndpointClient(options);
    this.store = new ResilientTokenStore(
      options.store,
      options.storeTimeoutMs,
      options.logger,
      () => options.clock.now(),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.bindStore();
    if (this.options.keepFresh) this.refreshInBackground();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    this.shutdown.abort();
    clearTimeout(this.timer);
    clearTimeout(this.freshnessTimer);
    this.fresh = false;
    this.endpoint.abortAll();
    await this.inflight?.catch(() => undefined);
    await this.store.close();
    this.changes.complete();
  }

  /** The bearer token to send now. Resolves at once while a token is cached. */
  async getAccessToken(): Promise<string> {
    return (this.freshToken() ?? (await this.tokenOutsideFastPath())).accessToken;
  }

  /** The current token with its type and expiry. Resolves at once while a token is cached. */
  async getToken(): Promise<WeirAccessToken> {
    return this.freshToken() ?? this.tokenOutsideFastPath();
  }

  /**
   * Obtains a new token now, even if the cached one is valid. Shares a request already under way
   * and stays inside the rate budget; the cached token keeps being served until the new one arrives.
   */
  async refresh(): Promise<WeirAccessToken> {
    if (this.cached) this.reject(this.cached.token.accessToken);
    return (await this.obtain()).token;
  }

  /**
   * Drops the cached token because the API refused it. With `rejectedAccessToken`, only if that is
   * still the cached token: a token obtained meanwhile by another caller is kept.
   */
  invalidate(rejectedAccessToken?: string): void {
    const cached = this.cached;
    if (rejectedAccessToken !== undefined && cached?.token.accessToken !== rejectedAccessToken)
      return;
    const dropped = rejectedAccessToken ?? cached?.token.accessToken;
    if (dropped === undefined) return;
    this.reject(dropped);
    this.cached = undefined;
    this.fresh = false;
    void this.store.delete(dropped);
  }

  /** What the service knows right now, without any request: for health checks and diagnostics. */
  getStatus(): WeirTokenStatus {
    const now = this.options.clock.now();
    const cached = this.cached;
    const valid = cached !== undefined && now < cached.usableUntil;
    const failure = this.failure;
    return {
      hasValidToken: valid,
      ...(valid && {
        expiresAt: cached.token.expiresAt,
        obtainedAt: new Date(cached.stored.obtainedAt),
      }),
      consecutiveFailures: failure?.count ?? 0,
      ...(failure && { lastError: failure.error }),
      ...(failure && now < failure.retryAt && { retryAfterMs: Math.ceil(failure.retryAt - now) }),
    };
  }

  /** The hot path: the cached token while it is before its refresh window. */
  private freshToken(): WeirAccessToken | undefined {
    const cached = this.cached;
    return cached !== undefined && (this.fresh || this.options.clock.now() < cached.refreshAt)
      ? cached.token
      : undefined;
  }

  private tokenOutsideFastPath(): Promise<WeirAccessToken> {
    const cached = this.cached;
    if (cached !== undefined && this.options.clock.now() < cached.usableUntil) {
      this.refreshInBackground();
      return Promise.resolve(cached.token);
    }
    return this.obtain().then((obtained) => obtained.token);
  }

  private refreshInBackground(): void {
    if (this.inflight || this.destroyed || this.isHeldBack()) return;
    // The failure is recorded and a retry scheduled inside obtain(); nothing is left unhandled.
    this.obtain().catch(() => undefined);
  }

  /** The single flight: every caller without a usable token shares this one promise. */
  private obtain(): Promise<CachedToken> {
    if (this.inflight) return this.inflight;
    // A call turned away during a hold is not a new failure: it must not extend the hold.
    const held = this.heldBackError();
    if (held) return Promise.reject(held);
    this.inflight = this.obtainOnce().then(
      (obtained) => {
        this.inflight = undefined;
        return obtained;
      },
      (error: unknown) => {
        this.inflight = undefined;
        throw this.recordFailure(error);
      },
    );
    return this.inflight;
  }

  private async obtainOnce(): Promise<CachedToken> {
    await this.bindStore();
    for (let round = 0; round < MAX_LOCK_ROUNDS; round++) {
      const seen = await this.store.get();
      if (seen && this.isAcceptable(seen)) return this.adopt(seen);
      const lock = await this.store.tryLock(this.lockTtlMs());
      if (lock === NO_SHARED_LOCK) return this.fetch();
      if (lock) {
        try {
          // Another instance may have published between our read and our lock.
          return (await this.adoptFromStore()) ?? (await this.fetch());
        } finally {
          await lock.release();
        }
      }
      // Wait for a token newer than the one just found wanting, or than ours.
      const published = await this.store.waitForToken(
        seen?.accessToken ?? this.cached?.token.accessToken,
        this.lockTtlMs(),
      );
      if (published && this.isAcceptable(published)) return this.adopt(published);
    }
    // The lock holder keeps failing or vanished: fetch, still inside the shared rate budget.
    return this.fetch();
  }

  /** Sends token requests until one succeeds, retrying transient failures with backoff. */
  private async fetch(): Promise<CachedToken> {
    const { clock, retry, logger } = this.options;
    const waitLimit = clock.now() + this.options.maxRateLimitWaitMs;
    for (let attempt = 0; ; attempt++) {
      await this.takeRequestSlot(waitLimit);
      // The budget may have been granted while shutdown began: send nothing more then.
      if (this.destroyed) throw shuttingDownError();
      const sentAt = clock.now();
      const sentAtWall = clock.wallNow();
      try {
        const answer = await this.endpoint.requestToken();
        const tookMs = Math.round(clock.now() - sentAt);
        logger.debug?.(
          `Token request succeeded in ${tookMs} ms; token valid for ${answer.token.expiresIn} s`,
        );
        if (answer.pauseMs) await this.store.pauseRequests(sentAtWall + answer.pauseMs);
        const stored: WeirStoredToken = {
          ...answer.token,
          obtainedAt: sentAtWall,
          expiresAt: sentAtWall + answer.token.expiresIn * 1000,
        };
        await this.store.set(stored);
        return this.adopt(stored, sentAt);
      } catch (error) {
        if (!(error instanceof WeirAuthError)) throw error;
        const tookMs = Math.round(clock.now() - sentAt);
        logger.warn(`Token request failed in ${tookMs} ms: ${error.code} (${error.message})`);
        const rateLimited = error.code === WeirAuthErrorCode.RATE_LIMIT_EXCEEDED;
        const serverWaitMs = rateLimited
          ? (error.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS)
          : error.retryAfterMs;
        // A 429, or a 503 with Retry-After: nothing is sent before the server allows, fleet-wide too.
        if (serverWaitMs !== undefined) {
          await this.store.pauseRequests(clock.wallNow() + serverWaitMs);
        }
        if (rateLimited) {
          // The budget wait in takeRequestSlot() honours the pause, within the caller's limit.
          if (clock.now() + serverWaitMs! <= waitLimit) continue;
          throw error;
        }
        const serverAsksTooMuch = (serverWaitMs ?? 0) > retry.maxDelayMs;
        if (!isTransient(error) || attempt + 1 >= retry.attempts || serverAsksTooMuch) throw error;
        await sleep(
          Math.max(
            serverWaitMs ?? 0,
            fullJitterDelayMs(attempt, retry.baseDelayMs, retry.maxDelayMs),
          ),
          this.shutdown.signal,
        );
      }
    }
  }

  /** Waits for the rate budget up to `waitLimit` (monotonic), or fails with RATE_LIMIT_EXCEEDED. */
  private async takeRequestSlot(waitLimit: number): Promise<void> {
    for (;;) {
      // A retry or budget wait may end after shutdown began: take no budget for nothing then.
      if (this.destroyed) throw shuttingDownError();
      const grant = await this.store.acquireRequestSlot();
      if (grant.granted) return;
      if (this.options.clock.now() + grant.retryAfterMs > waitLimit) {
        throw new WeirAuthError({
          code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED,
          message: `Weir token request budget spent (${describeLimits(this.options)}); next request possible in ${grant.retryAfterMs} ms`,
          retryAfterMs: grant.retryAfterMs,
        });
      }
      await sleep(grant.retryAfterMs, this.shutdown.signal);
    }
  }

  private async adoptFromStore(): Promise<CachedToken | undefined> {
    const stored = await this.store.get();
    return stored && this.isAcceptable(stored) ? this.adopt(stored) : undefined;
  }

  /** A stored token we may use instead of fetching: not refused, and not due for refresh. */
  private isAcceptable(stored: WeirStoredToken): boolean {
    if (this.rejected.has(stored.accessToken)) return false;
    // We only look for a token when the cached one is due: the same one, read back from the store,
    // would have its monotonic expiry re-derived from the wall clock, which may have stepped back.
    if (stored.accessToken === this.cached?.token.accessToken) return false;
    const lifetimeMs = stored.expiresIn * 1000;
    const refreshFrom =
      stored.expiresAt -
      refreshWindowMs(lifetimeMs, this.options.refreshAheadMs, this.options.refreshAheadRatio);
    return (
      this.options.clock.wallNow() <
      Math.min(refreshFrom, stored.expiresAt - expirySafetyMarginMs(lifetimeMs))
    );
  }

  /**
   * Makes `stored` the cached token. `sentAt` (monotonic) anchors the expiry of a token fetched
   * here at the moment its request was sent; a token from the store is mapped from its wall-clock
   * expiry.
   */
  private adopt(stored: WeirStoredToken, sentAt?: number): CachedToken {
    const { clock, refreshAheadMs, refreshAheadRatio } = this.options;
    const lifetimeMs = stored.expiresIn * 1000;
    const expiresAt =
      sentAt !== undefined
        ? sentAt + lifetimeMs
        : clock.now() + (stored.expiresAt - clock.wallNow());
    const previous = this.cached;
    const cached: CachedToken = {
      token:
        previous?.stored.accessToken === stored.accessToken
          ? previous.token
          : toWeirAccessToken(stored),
      stored,
      refreshAt: expiresAt - refreshWindowMs(lifetimeMs, refreshAheadMs, refreshAheadRatio),
      usableUntil: expiresAt - expirySafetyMarginMs(lifetimeMs),
    };
    this.cached = cached;
    this.markFreshUntil(cached.refreshAt);
    this.failure = undefined;
    if (this.options.keepFresh) this.schedule(cached.refreshAt);
    if (cached.token !== previous?.token) this.changes.next(cached.token);
    return cached;
  }

  /** Remembers a failure, holds token requests back for a while, and schedules a background retry. */
  private recordFailure(error: unknown): WeirAuthError {
    const failure = error instanceof WeirAuthError ? error : unexpectedError(error);
    const count = (this.failure?.count ?? 0) + 1;
    const holdMs = this.holdMs(failure, count);
    const retryAt = this.options.clock.now() + holdMs;
    this.failure = { error: failure, count, retryAt };
    const cached = this.cached;
    if (cached && retryAt < cached.usableUntil) this.schedule(retryAt);
    // Callers learn the hold from the first failure on, not only from the calls it turns away.
    return failure.retryAfterMs !== undefined ? failure : withRetryAfter(failure, holdMs);
  }

  private holdMs(error: WeirAuthError, count: number): number {
    switch (error.code) {
      case WeirAuthErrorCode.INVALID_CREDENTIALS:
        return this.options.invalidCredentialsBackoffMs;
      case WeirAuthErrorCode.RATE_LIMIT_EXCEEDED:
        return error.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
      default:
        return exponentialDelayMs(count - 1, TRANSIENT_HOLD_BASE_MS, TRANSIENT_HOLD_MAX_MS);
    }
  }

  private isHeldBack(): boolean {
    return this.failure !== undefined && this.options.clock.now() < this.failure.retryAt;
  }

  /** While requests are held back, callers get the last failure at once, with the time left. */
  private heldBackError(): WeirAuthError | undefined {
    const failure = this.failure;
    if (!failure || !this.isHeldBack()) return undefined;
    return withRetryAfter(failure.error, failure.retryAt - this.options.clock.now());
  }

  private markFreshUntil(refreshAt: number): void {
    clearTimeout(this.freshnessTimer);
    const { clock } = this.options;
    const delayMs = refreshAt - clock.now();
    this.fresh = clock === systemClock && !this.destroyed && delayMs > 0;
    if (!this.fresh) return;
    // Timers fire late, never early (a capped delay ends freshness early: the clock decides then).
    this.freshnessTimer = setTimeout(() => {
      this.fresh = false;
    }, timerDelayMs(delayMs));
    this.freshnessTimer.unref();
  }

  private schedule(atMonotonic: number): void {
    if (this.destroyed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.refreshInBackground(),
      timerDelayMs(atMonotonic - this.options.clock.now()),
    );
    // An idle app must still be able to exit: the refresh timer never holds the event loop.
    this.timer.unref();
  }

  private reject(accessToken: string): void {
    this.rejected.delete(accessToken);
    this.rejected.add(accessToken);
    if (this.rejected.size > REJECTED_TOKENS_KEPT)
      this.rejected.delete(this.rejected.values().next().value!);
  }

  private bindStore(): Promise<void> {
    this.binding ??= this.store.bind(createTokenStoreScope(this.options));
    return this.binding;
  }

  /** Long enough for one token request; a holder that dies costs the others no more than this. */
  private lockTtlMs(): number {
    return this.options.requestTimeoutMs + 1_000;
  }

  toJSON(): Record<string, unknown> {
    const status = this.getStatus();
    return {
      baseUrl: this.options.baseUrl,
      clientId: this.options.credentials.clientId,
      hasValidToken: status.hasValidToken,
      expiresAt: status.expiresAt,
      consecutiveFailures: status.consecutiveFailures,
    };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `WeirTokenService ${inspect(this.toJSON(), options)}`;
  }
}

/** 5xx, time-outs and network errors may pass; credentials, budget and bad answers will not. */
function isTransient(error: WeirAuthError): boolean {
  switch (error.code) {
    case WeirAuthErrorCode.NETWORK_ERROR:
    case WeirAuthErrorCode.TIMEOUT:
    case WeirAuthErrorCode.SERVER_ERROR:
      return true;
    case WeirAuthErrorCode.INVALID_CREDENTIALS:
    case WeirAuthErrorCode.RATE_LIMIT_EXCEEDED:
    case WeirAuthErrorCode.INVALID_RESPONSE:
      return false;
    default:
      return error.status !== undefined && error.status >= 500;
  }
}

// A bug in a custom store must still reach callers as the package's error type, with no payload.
function unexpectedError(error: unknown): WeirAuthError {
  const name = error instanceof Error ? error.name : typeof error;
  return new WeirAuthError({
    code: WeirAuthErrorCode.NETWORK_ERROR,
    message: `Token request failed unexpectedly (${name})`,
  });
}

function describeLimits(options: ResolvedWeirAuthOptions): string {
  return options.rateLimits
    .map(({ limit, windowMs }) => `${limit} per ${windowMs / 1000} s`)
    .join(', ');
}

/** Node fires a timer of more than 2^31 - 1 ms (24.8 days) after 1 ms: longer ones fire early instead. */
function timerDelayMs(ms: number): number {
  return Math.min(Math.max(0, ms), 2_147_483_647);
}

/** The same failure, saying how long until a token request may be sent again. */
function withRetryAfter(error: WeirAuthError, retryAfterMs: number): WeirAuthError {
  const { code, message, status } = error;
  return new WeirAuthError({ code, message, status, retryAfterMs: Math.ceil(retryAfterMs) });
}

/** Resolves after `ms`, or at once when `signal` aborts; never holds the event loop. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    const timer = setTimeout(wake, timerDelayMs(ms));
    timer.unref();
    signal.addEventListener('abort', wake, { once: true });
  });
}
