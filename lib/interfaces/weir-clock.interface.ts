/**
 * The time source of the token service. Injected so that expiry logic can be tested
 * deterministically; the default reads `performance.now()` and `Date.now()`.
 */
export interface WeirClock {
  /** Monotonic milliseconds: never jumps with wall-clock changes. Expiry is computed on it. */
  now(): number;
  /** Wall-clock milliseconds since the epoch: used only to express instants as `Date`s and to share them. */
  wallNow(): number;
}
