import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Redis } from 'ioredis';
import type {
  WeirRateBudgetGrant,
  WeirStoredToken,
  WeirTokenStore,
  WeirTokenStoreLock,
  WeirTokenStoreScope,
} from '../interfaces/weir-token-store.interface.js';
import { PublishedTokenWatch } from './published-token-watch.js';
import { assertConnected } from './redis-connection.js';
import {
  resolveRedisTokenStoreOptions,
  type RedisTokenStoreOptions,
  type ResolvedRedisTokenStoreOptions,
} from './redis-token-store-options.js';
import { redisTokenStoreKeys, type RedisTokenStoreKeys } from './redis-token-store-keys.js';
import {
  ACQUIRE_REQUEST_SLOT,
  DELETE_TOKEN_IF,
  PAUSE_REQUESTS,
  PUBLISH_TOKEN,
  RELEASE_LOCK,
} from './redis-token-store.scripts.js';
import { TokenCipher } from './token-cipher.js';

/** What the store knows once bound to a client. */
interface Binding {
  readonly scope: WeirTokenStoreScope;
  readonly keys: RedisTokenStoreKeys;
  readonly cipher: TokenCipher;
  /** The rate windows as the budget script reads them: limit, window, limit, window… */
  readonly windowArgs: readonly number[];
  readonly watch: PublishedTokenWatch;
}

/**
 * Shares one Weir token and one rate budget between every instance of an app, through Redis.
 *
 * - One token per client across the fleet: an instance without a valid token takes a short lock,
 *   fetches and publishes the token; the others wait for it instead of fetching their own.
 * - The rate budget (the client's `rateLimits`, and any `Retry-After` pause) is a sliding log kept
 *   in Redis and checked atomically by a Lua script on Redis server time.
 * - Tokens are encrypted at rest (AES-256-GCM, with a key derived from the client secret); key
 *   names hold a hash of the client, not its id.
 *
 * The module bounds every call in time and falls back to process-local tokens while Redis is
 * unreachable, so an outage degrades sharing, never token delivery. Give it a client that fails
 * fast: see the README's "Running many instances" for the recommended ioredis settings.
 *
 * `ioredis` is an optional peer dependency: this entry point only uses the client you pass.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { RedisTokenStore } from 'nestjs-weir-auth/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { commandTimeout: 500, maxRetriesPerRequest: 1 });
 * WeirAuthModule.forRoot({
 *   clientId: process.env.WEIR_CLIENT_ID!,
 *   secretKey: process.env.WEIR_SECRET_KEY!,
 *   store: new RedisTokenStore(redis),
 * });
 * ```
 */
export class RedisTokenStore implements WeirTokenStore {
  readonly #redis: Redis;
  readonly #options: ResolvedRedisTokenStoreOptions;
  #binding?: Binding;

  /**
   * @param redis - an ioredis client. The store opens one more connection from it
   *   (`redis.duplicate()`) for pub/sub and closes that one on shutdown; the client itself stays
   *   the caller's to close, unless `quitClientOnClose` is set.
   * @param options - key prefix, polling interval, `quitClientOnClose`; all optional.
   * @throws TypeError / RangeError when an option is out of range.
   */
  constructor(redis: Redis, options?: RedisTokenStoreOptions) {
    this.#redis = redis;
    this.#options = resolveRedisTokenStoreOptions(options);
  }

  bind(scope: WeirTokenStoreScope): void {
    if (this.#binding) {
      if (this.#binding.scope.id === scope.id) return;
      throw new Error('RedisTokenStore serves one client: give each WeirAuthModule its own store');
    }
    const keys = redisTokenStoreKeys(this.#options.keyPrefix, scope.id);
    const cipher = new TokenCipher(scope.encryptionKey, scope.id);
    const watch = new PublishedTokenWatch(this.#redis, keys, cipher, this.#options.pollIntervalMs);
    const windowArgs = scope.rateLimits.flatMap(({ limit, windowMs }) => [limit, windowMs]);
    this.#binding = { scope, keys, cipher, windowArgs, watch };
    watch.subscribe();
  }

  async get(): Promise<WeirStoredToken | undefined> {
    const { keys, cipher } = this.#connected();
    const sealed = await this.#redis.get(keys.token);
    return sealed === null ? undefined : cipher.open(sealed);
  }

  async set(token: WeirStoredToken): Promise<void> {
    const { keys, cipher, scope } = this.#connected();
    // The key lives as long as the token: Redis forgets it when it is of no use to anyone.
    const ttlMs = Math.ceil(token.expiresAt - scope.clock.wallNow());
    if (ttlMs <= 0) return;
    await PUBLISH_TOKEN.run(this.#redis, [keys.token], [cipher.seal(token), ttlMs, keys.channel]);
  }

  async delete(onlyIfAccessToken?: string): Promise<void> {
    const { keys, cipher } = this.#connected();
    if (onlyIfAccessToken === undefined) await this.#redis.del(keys.token);
    else await DELETE_TOKEN_IF.run(this.#redis, [keys.token], [cipher.prefixOf(onlyIfAccessToken)]);
  }

  async acquireRequestSlot(): Promise<WeirRateBudgetGrant> {
    const { keys, windowArgs } = this.#connected();
    const member = randomBytes(6).toString('base64url');
    const waitMs = Number(
      await ACQUIRE_REQUEST_SLOT.run(
        this.#redis,
        [keys.budget, keys.pause],
        [member, ...windowArgs],
      ),
    );
    return waitMs > 0 ? { granted: false, retryAfterMs: waitMs } : { granted: true };
  }

  async pauseRequests(untilEpochMs: number): Promise<void> {
    const { keys, scope } = this.#connected();
    // Sent as a duration: the script anchors it on Redis time, the clock the budget runs on.
    const pauseMs = Math.ceil(untilEpochMs - scope.clock.wallNow());
    if (pauseMs <= 0) return;
    await PAUSE_REQUESTS.run(this.#redis, [keys.pause], [pauseMs]);
  }

  async tryLock(ttlMs: number): Promise<WeirTokenStoreLock | undefined> {
    const { keys } = this.#connected();
    const owner = randomBytes(16).toString('base64url');
    const taken = await this.#redis.set(
      keys.lock,
      owner,
      'PX',
      Math.max(1, Math.ceil(ttlMs)),
      'NX',
    );
    if (taken !== 'OK') return undefined;
    const redis = this.#redis;
    return {
      async release() {
        assertConnected(redis);
        await RELEASE_LOCK.run(redis, [keys.lock], [owner]);
      },
    };
  }

  async waitForToken(
    notAccessToken: string | undefined,
    timeoutMs: number,
  ): Promise<WeirStoredToken | undefined> {
    const { watch } = this.#connected();
    return watch.wait((token) => token.accessToken !== notAccessToken, timeoutMs);
  }

  async close(): Promise<void> {
    this.#binding?.watch.close();
    if (this.#options.quitClientOnClose) {
      // quit() waits for replies to commands under way; a client that is down is just dropped.
      await this.#redis.quit().catch(() => this.#redis.disconnect());
    }
  }

  toJSON(): Record<string, unknown> {
    return { keyPrefix: this.#options.keyPrefix, bound: this.#binding !== undefined };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `RedisTokenStore ${inspect(this.toJSON(), options)}`;
  }

  #connected(): Binding {
    if (!this.#binding) throw new Error('RedisTokenStore used before bind()');
    assertConnected(this.#redis);
    return this.#binding;
  }
}
