import { describeWithRedisServer } from '../support/redis-server.js';
import { scopeFor, sleep, storedToken, useStoreKit } from './store-test-kit.js';

describeWithRedisServer('RedisTokenStore: the fetch lock and waiting for a published token', () => {
  const kit = useStoreKit();

  describe('tryLock', () => {
    it('gives the lock to exactly one of many instances', async () => {
      const stores = Array.from({ length: 10 }, () => kit.store());

      const locks = await Promise.all(stores.map((store) => store.tryLock(5_000)));

      expect(locks.filter((lock) => lock !== undefined)).toHaveLength(1);
    });

    it('passes to another instance once released, or once its TTL is over', async () => {
      const [first, second] = [kit.store(), kit.store()];
      const held = await first.tryLock(5_000);
      await held!.release();
      await expect(second.tryLock(300)).resolves.toBeDefined();

      await expect(first.tryLock(5_000)).resolves.toBeUndefined();
      await sleep(350);
      await expect(first.tryLock(5_000)).resolves.toBeDefined();
    });

    it('lets a late holder release only its own lock, never the next holder’s', async () => {
      const [late, next, third] = [kit.store(), kit.store(), kit.store()];
      const expired = await late.tryLock(100);
      await sleep(150);
      const current = await next.tryLock(5_000);
      expect(current).toBeDefined();

      await expired!.release();

      await expect(third.tryLock(5_000)).resolves.toBeUndefined();
    });
  });

  describe('waitForToken', () => {
    it('gets the token another instance publishes, through pub/sub at once', async () => {
      // Polling every 10 s: an answer within a second can only have come through pub/sub.
      const [holder, waiter] = [kit.store(), kit.store(scopeFor(), { pollIntervalMs: 10_000 })];
      const lock = await holder.tryLock(5_000);
      const waiting = waiter.waitForToken(undefined, 5_000);
      await sleep(100);

      const startedAt = Date.now();
      await holder.set(storedToken('published'));

      await expect(waiting).resolves.toMatchObject({ accessToken: 'published' });
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      await lock!.release();
    });

    it('finds a token whose message it missed, by polling', async () => {
      // A token written under another prefix and copied over with a plain SET: no message at all.
      const scope = scopeFor();
      const [source, holder] = [kit.store(scope, { keyPrefix: 'source:' }), kit.store(scope)];
      const waiter = kit.store(scope, { pollIntervalMs: 50 });
      await holder.tryLock(5_000);
      const waiting = waiter.waitForToken(undefined, 5_000);
      await source.set(storedToken('copied'));
      const raw = kit.client();
      const [sourceKey] = await raw.keys('source:*');
      await sleep(100);

      await raw.set(sourceKey.replace('source:', 'weir-auth:'), (await raw.get(sourceKey))!);

      await expect(waiting).resolves.toMatchObject({ accessToken: 'copied' });
    });

    it('waits past the token it was told to avoid', async () => {
      const [holder, waiter] = [kit.store(), kit.store()];
      await holder.set(storedToken('due-for-refresh'));
      await holder.tryLock(5_000);
      // A cold instance reads the old token, finds it due for refresh, and finds the lock taken:
      // the token service then waits for any token but that one.
      const { accessToken: wanting } = (await waiter.get())!;

      const waiting = waiter.waitForToken(wanting, 5_000);
      await sleep(300);
      await holder.set(storedToken('refreshed'));

      await expect(waiting).resolves.toMatchObject({ accessToken: 'refreshed' });
      await holder.set(storedToken('refreshed-again'));
      await expect(waiter.waitForToken('refreshed-again', 300)).resolves.toBeUndefined();
    });

    it('stops waiting, without a token, as soon as the lock is gone: holder gave up or died', async () => {
      const [holder, waiter] = [kit.store(), kit.store(scopeFor(), { pollIntervalMs: 50 })];
      const lock = await holder.tryLock(5_000);
      const waiting = waiter.waitForToken(undefined, 5_000);
      await sleep(100);
      const releasedAt = Date.now();

      await lock!.release();

      await expect(waiting).resolves.toBeUndefined();
      expect(Date.now() - releasedAt).toBeLessThan(2_000); // well before its 5 s time-out

      // A holder killed mid-fetch never releases: its lock's TTL ends the wait.
      await holder.tryLock(300);
      await expect(waiter.waitForToken(undefined, 5_000)).resolves.toBeUndefined();
    });

    it('gives up at the time-out', async () => {
      const [holder, waiter] = [kit.store(), kit.store()];
      await holder.tryLock(5_000);
      const startedAt = Date.now();

      await expect(waiter.waitForToken(undefined, 300)).resolves.toBeUndefined();
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    });

    it('settles pending waits when the store closes', async () => {
      const [holder, waiter] = [kit.store(), kit.store()];
      await holder.tryLock(5_000);
      const waiting = waiter.waitForToken(undefined, 5_000);

      await waiter.close();

      await expect(waiting).resolves.toBeUndefined();
    });
  });
});
