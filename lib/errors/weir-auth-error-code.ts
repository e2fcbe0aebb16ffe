/**
 * The codes of `WeirAuthError`. Any other `error.code` sent by the vendor is passed through as is,
 * so `code` is typed as `WeirAuthErrorCode | (string & {})`.
 */
export const WeirAuthErrorCode = {
  /** The client id or secret key was refused (401). Not retried. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** The rate limit is spent, locally or at the server (429). `retryAfterMs` says when to try again. */
  RATE_LIMIT_EXCEEDED: 'RATE_LIMIT_EXCEEDED',
  /** The token endpoint answered something that is not a valid token. */
  INVALID_RESPONSE: 'INVALID_RESPONSE',
  /** The token endpoint could not be reached (DNS, refused, reset). Retried. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** The token request took longer than `requestTimeoutMs`. Retried. */
  TIMEOUT: 'TIMEOUT',
  /** The token endpoint answered 5xx. Retried. */
  SERVER_ERROR: 'SERVER_ERROR',
} as const;

export type WeirAuthErrorCode = (typeof WeirAuthErrorCode)[keyof typeof WeirAuthErrorCode];
