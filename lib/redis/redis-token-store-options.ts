/** Options of `new RedisTokenStore(redis, options)`; every field has a default. */
export interface RedisTokenStoreOptions {
  /**
   * Prepended to every key and channel name the store uses, so that several apps (or test runs)
   * can share one Redis. Must not contain `{` or `}`: the store adds a hash tag of its own so that
   * all keys of one client land in the same Redis Cluster slot. Default `'weir-auth:'`.
   */
  readonly keyPrefix?: string;
  /**
   * While an instance waits for another to publish a token, it also reads Redis every
   * `pollIntervalMs`: this finds the token when a pub/sub message was missed, and notices a lock
   * holder that died (its lock expired) or gave up. Default `250` ms; at least 10.
   */
  readonly pollIntervalMs?: number;
  /**
   * Whether the module's shutdown also quits the client given to the constructor: `true` for a
   * client made only for the store, so `app.close()` leaves no connection open. Default `false`:
   * a client shared with the rest of the app stays the app's to close.
   */
  readonly quitClientOnClose?: boolean;
}

/** @internal The options with their defaults applied. */
export interface ResolvedRedisTokenStoreOptions {
  readonly keyPrefix: string;
  readonly pollIntervalMs: number;
  readonly quitClientOnClose: boolean;
}

/** @internal Applies the defaults; throws `TypeError` / `RangeError` naming the bad option. */
export function resolveRedisTokenStoreOptions(
  options: RedisTokenStoreOptions = {},
): ResolvedRedisTokenStoreOptions {
  const keyPrefix = options.keyPrefix ?? 'weir-auth:';
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw new TypeError('RedisTokenStore: keyPrefix must be a string without "{" or "}"');
  }
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 10) {
    throw new RangeError('RedisTokenStore: pollIntervalMs must be an integer of at least 10');
  }
  return { keyPrefix, pollIntervalMs, quitClientOnClose: options.quitClientOnClose === true };
}
