import type { WeirClock } from '../interfaces/weir-clock.interface.js';

/** @internal The default clock: `performance.now()` is monotonic, `Date.now()` is the wall clock. */
export const systemClock: WeirClock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
});
