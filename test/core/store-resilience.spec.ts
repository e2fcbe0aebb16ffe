import {
  MemoryTokenStore,
  type WeirStoredToken,
  type WeirTokenStore,
  type WeirTokenStoreScope,
} from 'nestjs-weir-auth';
import { ManualClock, startWeirKit, useCoreSuite } from './support/weir-test-kit.js';

useCoreSuite();

/** A shared store whose first `bind` fails, as one that needs its server at start-up might. */
class FlakyBindStore implements WeirTokenStore {
  private readonly inner = new MemoryTokenStore();
  binds = 0;
  reads = 0;

  bind(scope: WeirTokenStoreScope): void {
    this.binds++;
    if (this.binds === 1) throw new Error('store not reachable yet');
    this.inner.bind(scope);
  }

  async get(): Promise<WeirStoredToken | undefined> {
    this.reads++;
    return this.inner.get();
  }

  set = (token: WeirStoredToken) => this.inner.set(token);
  delete = (onlyIfAccessToken?: string) => this.inner.delete(onlyIfAccessToken);
  acquireRequestSlot = () => this.inner.acquireRequestSlot();
  pauseRequests = (untilEpochMs: number) => this.inner.pauseRequests(untilEpochMs);
  tryLock = async () => ({ release: async () => undefined });
}

describe('a shared store that fails', () => {
  it('is bound again once it answers, instead of being bypassed for the life of the process', async () => {
    const store = new FlakyBindStore();
    const { tokens, clock, logger } = await startWeirKit({ auth: { store } });

    await expect(tokens.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(store.reads).toBe(0);
    expect(logger.lines('warn').join('\n')).toContain('Token store unavailable');

    clock.advance(6_000);
    tokens.invalidate();
    await expect(tokens.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(store.binds).toBe(2);
    expect(store.reads).toBeGreaterThan(0);
    expect(logger.lines('log').join('\n')).toContain('reachable again');
  });
});

/** A shared store in which another instance holds the lock and publishes a fresh token. */
class BusyFleetStore implements WeirTokenStore {
  private readonly inner = new MemoryTokenStore();
  readonly waitedPast: Array<string | undefined> = [];

  constructor(
    private readonly dueToken: WeirStoredToken,
    private readonly publishedToken: WeirStoredToken,
  ) {}

  bind(scope: WeirTokenStoreScope): void {
    this.inner.bind(scope);
  }

  get = async () => this.dueToken;
  set = (token: WeirStoredToken) => this.inner.set(token);
  delete = (onlyIfAccessToken?: string) => this.inner.delete(onlyIfAccessToken);
  acquireRequestSlot = () => this.inner.acquireRequestSlot();
  pauseRequests = (untilEpochMs: number) => this.inner.pauseRequests(untilEpochMs);
  tryLock = async () => undefined;

  async waitForToken(notAccessToken: string | undefined): Promise<WeirStoredToken | undefined> {
    this.waitedPast.push(notAccessToken);
    return this.publishedToken.accessToken === notAccessToken ? undefined : this.publishedToken;
  }
}

describe('a cold instance while the fleet refreshes', () => {
  it('waits for a token other than the one it found due, and fetches none itself', async () => {
    const clock = new ManualClock();
    const token = (accessToken: string, lifetimeLeftMs: number): WeirStoredToken => ({
      accessToken,
      tokenType: 'Bearer',
      expiresIn: 3600,
      obtainedAt: clock.wallNow() + lifetimeLeftMs - 3_600_000,
      expiresAt: clock.wallNow() + lifetimeLeftMs,
    });
    // 'due' is in its refresh window; another instance holds the lock and publishes 'fresh'.
    const store = new BusyFleetStore(token('due', 60_000), token('fresh', 3_600_000));
    const { tokens, server } = await startWeirKit({ clock, auth: { store } });

    await expect(tokens.getAccessToken()).resolves.toBe('fresh');
    expect(store.waitedPast).toEqual(['due']);
    expect(server.tokenRequests).toBe(0);
  });
});
