/** One sliding window of the token endpoint's rate limit: at most `limit` requests in any `windowMs`. */
export interface WeirRateLimitWindow {
  readonly limit: number;
  readonly windowMs: number;
}
