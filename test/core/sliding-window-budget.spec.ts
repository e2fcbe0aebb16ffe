import { SlidingWindowBudget } from '../../lib/token/sliding-window-budget.js';
import { busiestWindow } from '../support/busiest-window.js';
import { seededRandom } from './support/seeded-random.js';

const VENDOR_WINDOWS = [
  { limit: 10, windowMs: 60_000 },
  { limit: 20, windowMs: 300_000 },
];

describe('SlidingWindowBudget', () => {
  it('never grants more than the limit in any window over a long random sequence', () => {
    const random = seededRandom(20300101);
    const budget = new SlidingWindowBudget(VENDOR_WINDOWS);
    const granted: number[] = [];
    let now = 0;
    for (let i = 0; i < 50_000; i++) {
      // Bursts of near-simultaneous requests mixed with long pauses.
      now += random() < 0.8 ? Math.floor(random() * 500) : Math.floor(random() * 120_000);
      if (budget.tryAcquire(now).granted) granted.push(now);
    }
    expect(granted.length).toBeGreaterThan(1_000);
    expect(busiestWindow(granted, 60_000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(granted, 300_000)).toBeLessThanOrEqual(20);
    // The budget is used, not just refused: the 5-minute limit is reached somewhere.
    expect(busiestWindow(granted, 300_000)).toBe(20);
  });

  it('grants again exactly when retryAfterMs says, not before', () => {
    const random = seededRandom(7);
    const budget = new SlidingWindowBudget(VENDOR_WINDOWS);
    let now = 0;
    for (let i = 0; i < 500; i++) {
      now += Math.floor(random() * 20_000);
      const grant = budget.tryAcquire(now);
      if (grant.granted) continue;
      expect(grant.retryAfterMs).toBeGreaterThan(0);
      expect(budget.tryAcquire(now + grant.retryAfterMs - 1).granted).toBe(false);
      now += grant.retryAfterMs;
      expect(budget.tryAcquire(now).granted).toBe(true);
    }
  });

  it('refuses the 11th request in a minute and the 21st in five minutes', () => {
    const budget = new SlidingWindowBudget(VENDOR_WINDOWS);
    for (let i = 0; i < 10; i++) expect(budget.tryAcquire(i).granted).toBe(true);
    expect(budget.tryAcquire(10)).toEqual({ granted: false, retryAfterMs: 59_990 });
    for (let i = 0; i < 10; i++) expect(budget.tryAcquire(60_000 + i).granted).toBe(true);
    // 20 sent in the last 5 minutes: the first leaves the 5-minute window at 300 000.
    expect(budget.tryAcquire(120_010)).toEqual({ granted: false, retryAfterMs: 179_990 });
    expect(budget.tryAcquire(300_000).granted).toBe(true);
  });

  it('holds every request back while a server-imposed pause lasts', () => {
    const budget = new SlidingWindowBudget(VENDOR_WINDOWS);
    budget.pause(30_000);
    expect(budget.tryAcquire(0)).toEqual({ granted: false, retryAfterMs: 30_000 });
    expect(budget.tryAcquire(29_999).granted).toBe(false);
    expect(budget.tryAcquire(30_000).granted).toBe(true);
    // A shorter pause never shortens a longer one.
    budget.pause(40_000);
    budget.pause(35_000);
    expect(budget.tryAcquire(39_999).granted).toBe(false);
  });
});
