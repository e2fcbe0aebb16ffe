import type { WeirClock } from 'nestjs-weir-auth';

/** Manual time: the monotonic and wall clocks move together, only when a test says so. */
export class ManualClock implements WeirClock {
  monotonic = 50_000;
  wall = Date.parse('2030-01-01T00:00:00.000Z');

  now(): number {
    return this.monotonic;
  }

  wallNow(): number {
    return this.wall;
  }

  advance(ms: number): void {
    this.monotonic += ms;
    this.wall += ms;
  }
}
