import type { WeirClock } from 'nestjs-weir-auth';

/**
 * A clock the benchmark moves by hand, for hours of token lifetime in seconds of real time. The
 * token service reads it through the `clock` option, FakeWeirServer through its `now` option, so
 * both agree on when a token dies.
 */
export class ManualClock implements WeirClock {
  private elapsedMs = 0;

  constructor(private readonly epochMs = Date.now()) {}

  now(): number {
    return this.elapsedMs;
  }

  wallNow(): number {
    return this.epochMs + this.elapsedMs;
  }

  advance(ms: number): void {
    this.elapsedMs += ms;
  }
}

/**
 * Real time, shifted by a chosen amount: jumps a live token into its refresh window while the
 * HTTP traffic and FakeWeirServer keep running on real time.
 */
export class ShiftedClock implements WeirClock {
  shiftMs = 0;

  now(): number {
    return performance.now() + this.shiftMs;
  }

  wallNow(): number {
    return Date.now() + this.shiftMs;
  }
}
