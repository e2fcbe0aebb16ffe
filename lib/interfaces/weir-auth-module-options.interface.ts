import type { LoggerService } from '@nestjs/common';
import type { WeirClock } from './weir-clock.interface.js';
import type { WeirRateLimitWindow } from './weir-rate-limit.interface.js';
import type { WeirTokenStore } from './weir-token-store.interface.js';

/** The Weir environments, each with its documented base URL. */
export type WeirEnvironment = 'production' | 'development';

/** Bounded retries with exponential backoff and full jitter, for 5xx, time-outs and network errors. */
export interface WeirRetryOptions {
  /** Attempts in all, the first one included. Default 3. */
  attempts?: number;
  /** Upper bound of the first backoff, doubled at each attempt. Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of any single backoff. Default 5,000 ms. */
  maxDelayMs?: number;
}

/** Options of `WeirAuthModule.forRoot()` and of the factory of `forRootAsync()`. */
export interface WeirAuthModuleOptions {
  /** Client id issued by Weir. Required. */
  clientId: string;
  /** Secret key issued by Weir. Required; never logged, printed or sent anywhere but the token endpoint. */
  secretKey: string;
  /** Selects the documented base URL. Default `'production'` (`https://api.weir.ai`). */
  environment?: WeirEnvironment;
  /** Overrides the environment's base URL. `https` is required; `http` only for loopback hosts. */
  baseUrl?: string;
  /**
   * Origins (`scheme://host[:port]`) whose requests get the bearer token. Default: only the base
   * URL's origin.
   */
  allowedOrigins?: string[];
  /** Bound on one token request, connection to last byte. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** Bound on the token endpoint's answer body. Default 65,536 bytes. */
  maxResponseBytes?: number;
  /** The refresh window is the last `refreshAheadMs` of a token's life, at most. Default 300,000 ms. */
  refreshAheadMs?: number;
  /** ... and at most this fraction of its lifetime, whichever is shorter. Default 0.1. */
  refreshAheadRatio?: number;
  /** Keep the token fresh with a timer even when no call asks for it (idle apps). Default `false`. */
  keepFresh?: boolean;
  /** Retries of failed token requests. */
  retry?: WeirRetryOptions;
  /** The client's rate windows. Default 10 requests per 60 s and 20 per 300 s, as documented. */
  rateLimits?: WeirRateLimitWindow[];
  /**
   * How long a caller without a valid token may wait for the rate budget before it gets
   * `RATE_LIMIT_EXCEEDED`. Default 0: fail at once, with `retryAfterMs`.
   */
  maxRateLimitWaitMs?: number;
  /** After `INVALID_CREDENTIALS`, no token request is sent for this long. Default 60,000 ms. */
  invalidCredentialsBackoffMs?: number;
  /** Bound on the health indicator's token request when no token is cached. Default 3,000 ms. */
  healthProbeTimeoutMs?: number;
  /** Bound on each call to the store; past it, this instance uses process-local tokens for a while. Default 1,000 ms. */
  storeTimeoutMs?: number;
  /** Where tokens are kept and how instances coordinate. Default: in memory, this process only. */
  store?: WeirTokenStore;
  /** Time source. Default: `performance.now()` and `Date.now()`. */
  clock?: WeirClock;
  /** Logger. Default: Nest's `Logger` with context `WeirAuth`; `false` silences the package. */
  logger?: LoggerService | false;
}
