import type { WeirClock } from './weir-clock.interface.js';
import type { WeirRateLimitWindow } from './weir-rate-limit.interface.js';

/** A token as a store keeps it: instants are wall-clock epoch milliseconds so they can be shared. */
export interface WeirStoredToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Lifetime in seconds, as issued. */
  readonly expiresIn: number;
  /** When the request that obtained it was sent. */
  readonly obtainedAt: number;
  /** `obtainedAt + expiresIn * 1000`. */
  readonly expiresAt: number;
}

/** What a store is told about the client it serves, once, before any other call. */
export interface WeirTokenStoreScope {
  /** A stable id of (base URL, client id) that does not reveal the client id: use it in key names. */
  readonly id: string;
  /** 32 bytes derived from the client secret with HKDF-SHA256: the key for encrypting tokens at rest. */
  readonly encryptionKey: Buffer;
  /** The token endpoint's rate windows that all sharers of this store must respect together. */
  readonly rateLimits: readonly WeirRateLimitWindow[];
  /** The token service's clock: a store that keeps time itself should read this one. */
  readonly clock: WeirClock;
}

/** The answer to a request for one token request's worth of rate budget. */
export type WeirRateBudgetGrant =
  { readonly granted: true } | { readonly granted: false; readonly retryAfterMs: number };

/** A fleet-wide lock on fetching a token, held by one sharer at a time. */
export interface WeirTokenStoreLock {
  /** Releases the lock if this holder still owns it (the TTL may have passed it on). */
  release(): Promise<void>;
}

/**
 * Where tokens live between requests and how sharers of one client coordinate.
 *
 * The default, `MemoryTokenStore`, serves one process. `RedisTokenStore`
 * (`nestjs-weir-auth/redis`) shares one token and one rate budget between every instance of an app.
 * A store of your own implements the required members; the optional ones make it a shared store.
 *
 * Every method may reject: the token service treats a failing store as absent for a while and
 * carries on with process-local behaviour, so a store never has to retry on its own.
 */
export interface WeirTokenStore {
  /** Called once, before any other method, with the client this store serves. */
  bind(scope: WeirTokenStoreScope): void | Promise<void>;
  /** The current token, if any (expired ones may be returned; the service checks). */
  get(): Promise<WeirStoredToken | undefined>;
  /** Replaces the current token and tells the other sharers. */
  set(token: WeirStoredToken): Promise<void>;
  /** Drops the current token; when `onlyIfAccessToken` is given, only if it is still that one. */
  delete(onlyIfAccessToken?: string): Promise<void>;
  /**
   * Takes one request from the rate budget shared by all sharers, or says how long until one
   * is free. Also holds requests back while a server-imposed pause (see `pauseRequests`) lasts.
   */
  acquireRequestSlot(): Promise<WeirRateBudgetGrant>;
  /** Records that the server asked for no token request before `untilEpochMs`. */
  pauseRequests(untilEpochMs: number): Promise<void>;
  /**
   * Shared stores: tries to become the one sharer that fetches a token, for at most `ttlMs`.
   * Resolves `undefined` when another sharer holds the lock. Stores that serve one process omit it.
   */
  tryLock?(ttlMs: number): Promise<WeirTokenStoreLock | undefined>;
  /**
   * Shared stores: waits up to `timeoutMs` for a sharer to publish a token other than
   * `notAccessToken`, resolving it, or `undefined` on time-out.
   */
  waitForToken?(
    notAccessToken: string | undefined,
    timeoutMs: number,
  ): Promise<WeirStoredToken | undefined>;
  /** Releases what the store holds for this module (subscriptions, timers); not the client given to it. */
  close?(): Promise<void>;
}
