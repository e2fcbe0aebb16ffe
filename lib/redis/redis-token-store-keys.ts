/** @internal The names one store uses in Redis for one client. */
export interface RedisTokenStoreKeys {
  /** The sealed token (a string with a TTL ending when the token expires). */
  readonly token: string;
  /** The fetch lock: a random owner id, with a TTL. */
  readonly lock: string;
  /** The sliding log of token requests: a sorted set scored by Redis server time. */
  readonly budget: string;
  /** The instant (Redis server time) before which no token request may be sent. */
  readonly pause: string;
  /** The pub/sub channel on which new sealed tokens are published. */
  readonly channel: string;
}

/**
 * @internal Key names carry the scope id (a hash), never the client id. The id is a hash tag, so a
 * Redis Cluster keeps every key of one client in one slot, as the multi-key scripts need.
 */
export function redisTokenStoreKeys(keyPrefix: string, scopeId: string): RedisTokenStoreKeys {
  const base = `${keyPrefix}{${scopeId}}`;
  return {
    token: `${base}:token`,
    lock: `${base}:lock`,
    budget: `${base}:budget`,
    pause: `${base}:pause`,
    channel: `${base}:tokens`,
  };
}
