import { inspect } from 'node:util';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { describeWithRedisServer } from '../support/redis-server.js';
import { CLIENT_ID, scopeFor, SECRET_KEY, storedToken, useStoreKit } from './store-test-kit.js';

const ACCESS_TOKEN =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdG9yZS1jbGllbnQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

describeWithRedisServer('RedisTokenStore: tokens at rest', () => {
  const kit = useStoreKit();

  it('hands back the token it stored, to any instance of the same client', async () => {
    const token = storedToken(ACCESS_TOKEN);
    await kit.store().set(token);

    await expect(kit.store().get()).resolves.toEqual(token);
  });

  it('keeps only a sealed value in Redis, under a key named after a hash of the client', async () => {
    await kit.store().set(storedToken(ACCESS_TOKEN));
    const raw = kit.client();

    const keys = await raw.keys('*');
    expect(keys).toEqual([expect.stringMatching(/^weir-auth:\{[\w-]+\}:token$/)]);
    expect(keys[0]).not.toContain(CLIENT_ID);
    const sealed = (await raw.get(keys[0]))!;
    for (const part of ACCESS_TOKEN.split('.')) expect(sealed).not.toContain(part);
    expect(sealed).not.toContain(Buffer.from(ACCESS_TOKEN).toString('base64'));
  });

  it('seals every write with a fresh IV', async () => {
    const store = kit.store();
    const raw = kit.client();
    await store.set(storedToken(ACCESS_TOKEN));
    const [key] = await raw.keys('*');
    const first = await raw.get(key);
    await store.set(storedToken(ACCESS_TOKEN));

    expect(await raw.get(key)).not.toEqual(first);
  });

  it('lets the key expire with the token', async () => {
    await kit.store().set(storedToken(ACCESS_TOKEN, 30));
    const raw = kit.client();
    const [key] = await raw.keys('*');

    const ttl = await raw.pttl(key);
    expect(ttl).toBeGreaterThan(28_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('uses the configured key prefix', async () => {
    await kit.store(scopeFor(), { keyPrefix: 'app-1:' }).set(storedToken(ACCESS_TOKEN));

    expect(await kit.client().keys('*')).toEqual([expect.stringMatching(/^app-1:\{/)]);
  });

  it('reads nothing usable without the secret: another secret, or a tampered value', async () => {
    await kit.store().set(storedToken(ACCESS_TOKEN));
    const raw = kit.client();
    const [key] = await raw.keys('*');
    const sealed = (await raw.get(key))!;

    // Same client id (so the same keys), another secret: the value cannot be opened.
    const rotated = kit.store(scopeFor({ secretKey: 'another-secret' }));
    await expect(rotated.get()).resolves.toBeUndefined();

    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    await raw.set(key, parts.join('.'));
    await expect(kit.store().get()).resolves.toBeUndefined();

    await raw.set(key, 'not a sealed token');
    await expect(kit.store().get()).resolves.toBeUndefined();
  });

  it('does not open a value moved from another client', async () => {
    await kit.store(scopeFor({ clientId: 'other-client' })).set(storedToken(ACCESS_TOKEN));
    const raw = kit.client();
    const [otherKey] = await raw.keys('*');
    const mine = kit.store();
    await mine.set(storedToken('mine'));
    const myKey = (await raw.keys('*')).find((key) => key !== otherKey)!;

    await raw.set(myKey, (await raw.get(otherKey))!);

    await expect(mine.get()).resolves.toBeUndefined();
  });

  it('deletes a token only while it is still the one named', async () => {
    const store = kit.store();
    await store.set(storedToken('older'));
    await store.set(storedToken('newer'));

    await store.delete('older');
    await expect(store.get()).resolves.toMatchObject({ accessToken: 'newer' });

    await store.delete('newer');
    await expect(store.get()).resolves.toBeUndefined();

    await store.set(storedToken('any'));
    await store.delete();
    await expect(store.get()).resolves.toBeUndefined();
  });

  it('prints neither tokens, keys nor the Redis client', async () => {
    const client = kit.client({ password: 'redis-password', lazyConnect: true });
    const store = kit.store(scopeFor(), {}, client);

    const printed = `${inspect(store, { depth: 10, showHidden: true })} ${JSON.stringify(store)}`;

    expect(printed).toBe(
      "RedisTokenStore { keyPrefix: 'weir-auth:', bound: true } " +
        '{"keyPrefix":"weir-auth:","bound":true}',
    );
    expect(printed).not.toContain(SECRET_KEY);
  });

  it('serves one client only', () => {
    const store = kit.store();

    expect(() => store.bind(scopeFor())).not.toThrow();
    expect(() => store.bind(scopeFor({ clientId: 'other-client' }))).toThrow(/one client/);
  });

  it('rejects options it cannot honour', () => {
    const client = kit.client({ lazyConnect: true });

    expect(() => new RedisTokenStore(client, { keyPrefix: 'a{b}:' })).toThrow(TypeError);
    expect(() => new RedisTokenStore(client, { pollIntervalMs: 0 })).toThrow(RangeError);
  });
});
