import { WeirAuthError } from '../errors/weir-auth.error.js';
import { WeirAuthErrorCode } from '../errors/weir-auth-error-code.js';
import type { WeirEnvironment } from '../interfaces/weir-auth-module-options.interface.js';
import type { WeirTokenStatus } from '../interfaces/weir-token-status.interface.js';
import { HealthProbeTimeoutError } from './probe-timeout.js';

/**
 * What `WeirAuthHealthIndicator` reports under its key, beside `status`. It never holds a token,
 * a secret or the client id.
 */
export type WeirAuthHealthDetails = {
  /** The configured Weir environment. */
  environment: WeirEnvironment;
  /** Whole seconds until the cached token expires (up, degraded). */
  expiresInSeconds?: number;
  /** When the cached token expires, ISO 8601 (up, degraded). */
  expiresAt?: string;
  /** When the request that obtained the cached token was sent, ISO 8601 (up, degraded). */
  obtainedAt?: string;
  /** Token requests that failed in a row since the last success, when there were any. */
  consecutiveFailures?: number;
  /** Code of the last failed refresh, while the cached token is still valid (degraded). */
  lastErrorCode?: string;
  /**
   * Why there is no token (down): a `WeirAuthErrorCode` such as `INVALID_CREDENTIALS`, the
   * vendor's own code, `TIMEOUT` when the probe timeout passed, or `UNEXPECTED_ERROR`.
   */
  code?: string;
  /** Seconds until a token request will be sent again, when known. */
  retryAfterSeconds?: number;
  /** A short explanation, for people (down, degraded). */
  message?: string;
};

/** @internal A health verdict before it is handed to Terminus. */
export interface HealthAnswer {
  readonly status: 'up' | 'degraded' | 'down';
  readonly details: WeirAuthHealthDetails;
}

/** @internal Why a token could not be had, reduced to what may be shown on a health endpoint. */
export interface TokenFailure {
  readonly code: string;
  readonly message: string;
  readonly retryAfterMs?: number;
}

/** @internal The cached token that a health answer describes. */
export interface CachedTokenFacts {
  readonly expiresAt: Date;
  readonly obtainedAt?: Date;
}

// Vendor messages end up on a (often public) health endpoint: keep them to one short line.
const MAX_MESSAGE_LENGTH = 200;

/** @internal Reduces whatever the token service rejected with to a `TokenFailure`. */
export function describeFailure(error: unknown): TokenFailure {
  if (error instanceof WeirAuthError) {
    return { code: error.code, message: shorten(error.message), retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof HealthProbeTimeoutError) {
    return { code: WeirAuthErrorCode.TIMEOUT, message: error.message };
  }
  // Anything else is a bug, and its message may hold anything: say no more than that.
  return { code: 'UNEXPECTED_ERROR', message: 'The token service failed unexpectedly' };
}

/**
 * @internal Up while a token is valid; degraded when its refreshes have been failing (the caller
 * reports that as up where Terminus has no `degraded`).
 */
export function validTokenAnswer(
  token: CachedTokenFacts,
  status: WeirTokenStatus,
  environment: WeirEnvironment,
  wallNow: number,
): HealthAnswer {
  const details: WeirAuthHealthDetails = {
    environment,
    expiresInSeconds: Math.max(0, Math.floor((token.expiresAt.getTime() - wallNow) / 1000)),
    expiresAt: token.expiresAt.toISOString(),
    ...(token.obtainedAt && { obtainedAt: token.obtainedAt.toISOString() }),
  };
  if (status.consecutiveFailures === 0) return { status: 'up', details };
  return {
    status: 'degraded',
    details: {
      ...details,
      consecutiveFailures: status.consecutiveFailures,
      ...(status.lastError && { lastErrorCode: status.lastError.code }),
      ...retryAfter(status.retryAfterMs),
      message: 'Token refresh is failing; the cached token is still valid',
    },
  };
}

/** @internal Down, with the failure's code and message. */
export function failureAnswer(
  failure: TokenFailure,
  consecutiveFailures: number,
  environment: WeirEnvironment,
  retryAfterMs = failure.retryAfterMs,
): HealthAnswer {
  return {
    status: 'down',
    details: {
      environment,
      code: failure.code,
      message: failure.message,
      ...retryAfter(retryAfterMs),
      ...(consecutiveFailures > 0 && { consecutiveFailures }),
    },
  };
}

function retryAfter(
  retryAfterMs: number | undefined,
): Pick<WeirAuthHealthDetails, 'retryAfterSeconds'> {
  return retryAfterMs !== undefined && retryAfterMs > 0
    ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) }
    : {};
}

function shorten(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_MESSAGE_LENGTH
    ? oneLine
    : `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}
