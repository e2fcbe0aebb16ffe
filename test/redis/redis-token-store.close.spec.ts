import { once } from 'node:events';
import { Redis } from 'ioredis';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { describeWithRedisServer } from '../support/redis-server.js';
import { scopeFor, useRedisServer } from './store-test-kit.js';

describeWithRedisServer('RedisTokenStore: close()', () => {
  const server = useRedisServer();

  async function closedStoreClient(options?: { quitClientOnClose: boolean }): Promise<Redis> {
    const client = new Redis(server().url, { maxRetriesPerRequest: 1 });
    const store = new RedisTokenStore(client, options);
    store.bind(scopeFor());
    await store.waitForToken(undefined, 20); // opens the store's own pub/sub connection
    await store.close();
    return client;
  }

  it('leaves a client it was given open: it stays the app’s to close', async () => {
    const client = await closedStoreClient();
    await expect(client.ping()).resolves.toBe('PONG');
    client.disconnect();
  });

  it('quits the client too with quitClientOnClose, so app.close() leaves no connection', async () => {
    const client = await closedStoreClient({ quitClientOnClose: true });
    if (client.status !== 'end') await once(client, 'end');
    expect(client.status).toBe('end');
  });
});
