import { describeWithRedisServer, RedisServer } from '../support/redis-server.js';
import { scopeFor, sleep, StoreKit, storedToken } from './store-test-kit.js';

/** Waits until `client` has noticed the outage (its socket closed). */
async function disconnected(client: { status: string }): Promise<void> {
  for (let i = 0; i < 100 && client.status === 'ready'; i++) await sleep(10);
}

async function reconnected(client: { status: string }): Promise<void> {
  for (let i = 0; i < 300 && client.status !== 'ready'; i++) await sleep(10);
}

describeWithRedisServer('RedisTokenStore: Redis down', () => {
  let server: RedisServer;
  const kit = new StoreKit(() => server.url);

  beforeEach(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await kit.close();
    await server.stop();
  });

  it('rejects at once, even with ioredis defaults (offline queue on, 20 retries), and works again after a restart', async () => {
    // ioredis' own defaults, which would queue commands for a long time.
    const client = kit.client({ maxRetriesPerRequest: 20, retryStrategy: () => 50 });
    const store = kit.store(scopeFor(), {}, client);
    await store.set(storedToken('before'));
    await expect(store.acquireRequestSlot()).resolves.toEqual({ granted: true });

    await server.stop();
    await disconnected(client);

    const startedAt = Date.now();
    const calls = [
      store.get(),
      store.set(storedToken('during')),
      store.delete('before'),
      store.acquireRequestSlot(),
      store.pauseRequests(Date.now() + 1_000),
      store.tryLock(1_000),
      store.waitForToken(undefined, 5_000),
    ];
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(calls.map(() => 'rejected'));
    expect(Date.now() - startedAt).toBeLessThan(1_000); // at once: far below the 5 s wait it asked for

    // Restarted empty, with no scripts loaded: the store reloads them by itself.
    await server.restart();
    await reconnected(client);
    await expect(store.get()).resolves.toBeUndefined();
    await expect(store.acquireRequestSlot()).resolves.toEqual({ granted: true });
    await store.set(storedToken('after'));
    await expect(store.get()).resolves.toMatchObject({ accessToken: 'after' });
  });

  it('ends a wait in progress with an error when Redis goes away, instead of waiting it out', async () => {
    const [holder, waiter] = [kit.store(), kit.store(scopeFor(), { pollIntervalMs: 50 })];
    await holder.tryLock(10_000);
    const waiting = waiter.waitForToken(undefined, 10_000);
    const outcome = waiting.then(
      () => 'resolved',
      () => 'rejected',
    );
    await sleep(100);
    const stoppedAt = Date.now();

    await server.stop();

    await expect(outcome).resolves.toBe('rejected');
    expect(Date.now() - stoppedAt).toBeLessThan(2_500);
  });

  it('hears published tokens again once Redis is back (the subscription is renewed)', async () => {
    const [holderClient, waiterClient] = [kit.client(), kit.client()];
    const holder = kit.store(scopeFor(), {}, holderClient);
    const waiter = kit.store(scopeFor(), { pollIntervalMs: 10_000 }, waiterClient);
    expect(await waitForSubscribers(kit, 2)).toBe(true);

    await server.stop();
    await server.restart();
    await Promise.all([reconnected(holderClient), reconnected(waiterClient)]);
    expect(await waitForSubscribers(kit, 2)).toBe(true);

    await holder.tryLock(5_000);
    const waiting = waiter.waitForToken(undefined, 5_000);
    await sleep(100);
    const publishedAt = Date.now();
    await holder.set(storedToken('after-restart'));

    await expect(waiting).resolves.toMatchObject({ accessToken: 'after-restart' });
    expect(Date.now() - publishedAt).toBeLessThan(2_500);
  });
});

/** Waits until Redis counts `count` subscribers on the token channel (of each bound store). */
async function waitForSubscribers(kit: StoreKit, count: number): Promise<boolean> {
  const raw = kit.client();
  for (let i = 0; i < 300; i++) {
    const channels = (await raw.pubsub('CHANNELS').catch(() => [])) as string[];
    const counts = channels.length
      ? ((await raw.pubsub('NUMSUB', ...channels).catch(() => [])) as Array<string | number>)
      : [];
    if (counts.some((value, index) => index % 2 === 1 && Number(value) >= count)) return true;
    await sleep(20);
  }
  return false;
}
