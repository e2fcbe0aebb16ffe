import type { Redis } from 'ioredis';

/**
 * @internal Fails at once while the client is between connections. Otherwise a command would wait
 * in ioredis' offline queue: the token service stops waiting after its store time-out, but the
 * command stays queued, and a long outage would pile them up. Before the first connection
 * (`wait`, `connecting`) commands may queue: that is start-up, not an outage.
 */
export function assertConnected(redis: Redis): void {
  const { status } = redis;
  if (status === 'reconnecting' || status === 'close' || status === 'end') {
    throw new Error(`Redis connection is ${status}`);
  }
}
