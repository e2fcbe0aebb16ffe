import type { WeirRateLimitWindow } from '../../lib/interfaces/weir-rate-limit.interface.js';
import { busiestWindow } from '../support/busiest-window.js';
import { describeWithRedisServer } from '../support/redis-server.js';
import { scopeFor, sleep, useStoreKit } from './store-test-kit.js';

describeWithRedisServer('RedisTokenStore: the fleet-wide rate budget', () => {
  const kit = useStoreKit();

  it('grants exactly the limit to many instances asking at once', async () => {
    const scope = scopeFor({ rateLimits: [{ limit: 10, windowMs: 60_000 }] });
    const stores = Array.from({ length: 8 }, () => kit.store(scope));

    const grants = await Promise.all(
      stores.flatMap((store) => Array.from({ length: 5 }, () => store.acquireRequestSlot())),
    );

    expect(grants.filter((grant) => grant.granted)).toHaveLength(10);
    for (const grant of grants.filter((grant) => !grant.granted)) {
      expect(grant).toEqual({ granted: false, retryAfterMs: expect.any(Number) });
      if (!grant.granted) expect(grant.retryAfterMs).toBeGreaterThan(59_000);
    }
  });

  it('slides: never more than the limit in ANY window, across window boundaries, for each window', async () => {
    // A short window crossed many times in a second and a half; the long one keeps every request
    // in the log, so the check below reads the instants Redis itself granted them at.
    const windows: WeirRateLimitWindow[] = [
      { limit: 3, windowMs: 300 },
      { limit: 8, windowMs: 5_000 },
    ];
    const scope = scopeFor({ rateLimits: windows });
    const stores = Array.from({ length: 4 }, () => kit.store(scope));
    let granted = 0;
    const until = Date.now() + 1_500;

    await Promise.all(
      stores.map(async (store) => {
        while (Date.now() < until) {
          const grant = await store.acquireRequestSlot();
          if (grant.granted) granted++;
          else await sleep(Math.min(grant.retryAfterMs, 40));
        }
      }),
    );

    const raw = kit.client();
    const [budgetKey] = await raw.keys('*:budget');
    const instants = (await raw.zrange(budgetKey, 0, -1, 'WITHSCORES'))
      .filter((_, index) => index % 2 === 1)
      .map(Number);
    expect(instants).toHaveLength(granted);
    for (const { limit, windowMs } of windows) {
      expect(busiestWindow(instants, windowMs)).toBeLessThanOrEqual(limit);
    }
    // The short window refilled as requests left it, until the long one was spent.
    expect(granted).toBe(8);
  });

  it('says how long until the oldest request in the window leaves it', async () => {
    const store = kit.store(scopeFor({ rateLimits: [{ limit: 2, windowMs: 500 }] }));
    await store.acquireRequestSlot();
    await sleep(200);
    await store.acquireRequestSlot();

    const denied = await store.acquireRequestSlot();
    expect(denied.granted).toBe(false);
    if (denied.granted) return;
    expect(denied.retryAfterMs).toBeGreaterThan(200);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(300);

    await sleep(denied.retryAfterMs + 5);
    await expect(store.acquireRequestSlot()).resolves.toEqual({ granted: true });
  });

  it('holds every instance back while a server-imposed pause lasts; a shorter pause does not shorten it', async () => {
    const scope = scopeFor();
    const [paused, other] = [kit.store(scope), kit.store(scope)];

    await paused.pauseRequests(Date.now() + 400);
    await paused.pauseRequests(Date.now() + 100);

    const denied = await other.acquireRequestSlot();
    expect(denied.granted).toBe(false);
    if (!denied.granted) expect(denied.retryAfterMs).toBeGreaterThan(300);
    await sleep(450);
    await expect(other.acquireRequestSlot()).resolves.toEqual({ granted: true });
  });

  it('runs on Redis time: instances whose clocks are hours apart share one budget and one pause', async () => {
    const offClock = (offsetMs: number) => ({
      now: () => performance.now(),
      wallNow: () => Date.now() + offsetMs,
    });
    const rateLimits = [{ limit: 2, windowMs: 60_000 }];
    const ahead = kit.store(scopeFor({ rateLimits, clock: offClock(3 * 3_600_000) }));
    const behind = kit.store(scopeFor({ rateLimits, clock: offClock(-3 * 3_600_000) }));

    await expect(ahead.acquireRequestSlot()).resolves.toEqual({ granted: true });
    await expect(behind.acquireRequestSlot()).resolves.toEqual({ granted: true });
    await expect(ahead.acquireRequestSlot()).resolves.toMatchObject({ granted: false });
    await kit.client().flushall();

    // "Not before my now + 300 ms" means 300 ms for everyone, whatever the instance's clock says.
    await behind.pauseRequests(Date.now() - 3 * 3_600_000 + 300);
    const denied = await ahead.acquireRequestSlot();
    expect(denied.granted).toBe(false);
    if (!denied.granted) expect(denied.retryAfterMs).toBeLessThanOrEqual(300);
  });

  it('keeps its log small: it expires with the longest window', async () => {
    const store = kit.store(scopeFor({ rateLimits: [{ limit: 3, windowMs: 2_000 }] }));
    await store.acquireRequestSlot();
    const raw = kit.client();
    const [budgetKey] = await raw.keys('*:budget');

    expect(await raw.zcard(budgetKey)).toBe(1);
    expect(await raw.pttl(budgetKey)).toBeLessThanOrEqual(2_000);
  });
});
