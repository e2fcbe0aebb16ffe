import { Redis, type RedisOptions } from 'ioredis';
import type {
  WeirStoredToken,
  WeirTokenStoreScope,
} from '../../lib/interfaces/weir-token-store.interface.js';
import type { WeirClock } from '../../lib/interfaces/weir-clock.interface.js';
import type { WeirRateLimitWindow } from '../../lib/interfaces/weir-rate-limit.interface.js';
import { resolveWeirAuthOptions } from '../../lib/options/resolve-weir-auth-options.js';
import { RedisTokenStore, type RedisTokenStoreOptions } from '../../lib/redis/index.js';
import { systemClock } from '../../lib/token/system-clock.js';
import { createTokenStoreScope } from '../../lib/token/weir-token-store-scope.js';
import { RedisServer } from '../support/redis-server.js';

export const CLIENT_ID = 'store-client';
export const SECRET_KEY = 'store-secret';

/** The scope the token service would bind, with the real key derivation. */
export function scopeFor(
  options: {
    clientId?: string;
    secretKey?: string;
    rateLimits?: WeirRateLimitWindow[];
    clock?: WeirClock;
  } = {},
): WeirTokenStoreScope {
  return createTokenStoreScope(
    resolveWeirAuthOptions({
      clientId: options.clientId ?? CLIENT_ID,
      secretKey: options.secretKey ?? SECRET_KEY,
      baseUrl: 'http://127.0.0.1:1',
      rateLimits: options.rateLimits,
      clock: options.clock ?? systemClock,
      logger: false,
    }),
  );
}

/** A token as the service would store it, valid for `lifetimeS` from now. */
export function storedToken(accessToken: string, lifetimeS = 60): WeirStoredToken {
  const obtainedAt = Date.now();
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: lifetimeS,
    obtainedAt,
    expiresAt: obtainedAt + lifetimeS * 1000,
  };
}

/**
 * Makes stores and clients on one Redis and closes them all in `close()`, so that no test leaves a
 * connection open. Each store gets a client of its own, as separate instances would.
 */
export class StoreKit {
  private readonly clients: Redis[] = [];
  private readonly stores: RedisTokenStore[] = [];

  constructor(private readonly url: () => string) {}

  client(options: RedisOptions = {}): Redis {
    const client = new Redis(this.url(), { maxRetriesPerRequest: 1, ...options });
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  store(
    scope: WeirTokenStoreScope = scopeFor(),
    options: RedisTokenStoreOptions = {},
    client: Redis = this.client(),
  ): RedisTokenStore {
    const store = new RedisTokenStore(client, options);
    store.bind(scope);
    this.stores.push(store);
    return store;
  }

  async close(): Promise<void> {
    await Promise.all(this.stores.splice(0).map((store) => store.close()));
    for (const client of this.clients.splice(0)) client.disconnect();
  }
}

/**
 * A redis-server for the enclosing `describe`: started in `beforeAll`, stopped in `afterAll`.
 * Returns an accessor, for tests and hooks (the server exists only once `beforeAll` has run).
 */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the redis-server of this suite is not started (yet)');
    return server;
  };
}

/**
 * {@link useRedisServer}, and a {@link StoreKit} on it that is emptied (`FLUSHALL`) and closed after
 * each test, so that every test starts from an empty Redis with no connection left open.
 */
export function useStoreKit(): StoreKit {
  const server = useRedisServer();
  const kit = new StoreKit(() => server().url);
  afterEach(async () => {
    await kit.client().flushall();
    await kit.close();
  });
  return kit;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
