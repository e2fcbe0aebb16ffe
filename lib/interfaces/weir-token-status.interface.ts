import type { WeirAuthError } from '../errors/weir-auth.error.js';

/** A snapshot of the token service's state, read without any request: what health checks report. */
export interface WeirTokenStatus {
  /** Whether a token that has not expired is cached. */
  readonly hasValidToken: boolean;
  /** When the cached token expires, if one is cached. */
  readonly expiresAt?: Date;
  /** When the request that obtained the cached token was sent, if one is cached. */
  readonly obtainedAt?: Date;
  /** Token requests that failed in a row since the last success (0 when the last one succeeded). */
  readonly consecutiveFailures: number;
  /** The last failure, while `consecutiveFailures > 0`. */
  readonly lastError?: WeirAuthError;
  /** How long until the next token request may be sent, when requests are held back. */
  readonly retryAfterMs?: number;
}
