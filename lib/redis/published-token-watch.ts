import type { Redis } from 'ioredis';
import type { WeirStoredToken } from '../interfaces/weir-token-store.interface.js';
import { assertConnected } from './redis-connection.js';
import type { RedisTokenStoreKeys } from './redis-token-store-keys.js';
import type { TokenCipher } from './token-cipher.js';

/** One caller of `waitForToken`, until it is settled. */
interface Waiter {
  readonly wants: (token: WeirStoredToken) => boolean;
  readonly settle: (token: WeirStoredToken | undefined) => void;
}

/**
 * @internal Lets instances wait for the token another instance is fetching: a pub/sub subscription
 * on a connection of our own (`redis.duplicate()`) delivers it at once, and reading Redis every
 * `pollIntervalMs` covers a missed message or a subscription that is down. A wait ends early,
 * without a token, when the fetch lock is gone: its holder gave up or died, so the caller should
 * try the lock itself rather than wait out its time.
 */
export class PublishedTokenWatch {
  private readonly waiters = new Set<Waiter>();
  private subscriber?: Redis;
  private subscribing?: Promise<unknown>;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisTokenStoreKeys,
    private readonly cipher: TokenCipher,
    private readonly pollIntervalMs: number,
  ) {}

  /** Opens the subscription now, so that it is ready before the first wait. Never throws. */
  subscribe(): void {
    if (this.closed || this.subscribing) return;
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate();
      // Without a listener ioredis prints every connection error; the token service already
      // reports an unreachable store once, and polling covers a subscription that is down.
      subscriber.on('error', () => undefined);
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === this.keys.channel) this.announce(message);
      });
      this.subscriber = subscriber;
    }
    this.subscribing = this.subscriber.subscribe(this.keys.channel).catch(() => {
      // ioredis resubscribes by itself after a reconnect; this only retries a failed first try.
      this.subscribing = undefined;
    });
  }

  /**
   * Resolves the first token published or found that `wants` accepts, `undefined` once
   * `timeoutMs` passed or the lock is gone, and rejects when Redis cannot be read.
   */
  wait(
    wants: (token: WeirStoredToken) => boolean,
    timeoutMs: number,
  ): Promise<WeirStoredToken | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    this.subscribe();
    return new Promise((resolve, reject) => {
      let pollTimer: NodeJS.Timeout | undefined;
      const end = (finish: () => void) => {
        if (!this.waiters.delete(waiter)) return;
        clearTimeout(deadline);
        clearTimeout(pollTimer);
        finish();
      };
      const waiter: Waiter = { wants, settle: (token) => end(() => resolve(token)) };
      const deadline = setTimeout(() => waiter.settle(undefined), timeoutMs);
      // A wait must never keep a process alive that is otherwise done.
      deadline.unref();
      this.waiters.add(waiter);

      const poll = async () => {
        try {
          assertConnected(this.redis);
          const [sealed, lockOwner] = await this.redis.mget(this.keys.token, this.keys.lock);
          const token = sealed === null ? undefined : this.cipher.open(sealed);
          if (token && wants(token)) waiter.settle(token);
          else if (lockOwner === null) waiter.settle(undefined);
          else if (this.waiters.has(waiter)) {
            pollTimer = setTimeout(poll, this.pollIntervalMs);
            pollTimer.unref();
          }
        } catch (error) {
          // Redis is gone: say so now rather than at the deadline, so the caller falls back early.
          end(() => reject(error));
        }
      };
      // Read at once: the token may have been published before the subscription was ready.
      void poll();
    });
  }

  /** Settles every wait without a token and closes the subscription connection. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle(undefined);
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private announce(sealed: string): void {
    const token = this.cipher.open(sealed);
    if (!token) return;
    for (const waiter of [...this.waiters]) if (waiter.wants(token)) waiter.settle(token);
  }
}
