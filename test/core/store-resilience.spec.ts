import {
  MemoryTokenStore,
  type WeirStoredToken,
  type WeirTokenStore,
  type WeirTokenStoreScope,
} from 'nestjs-weir-auth';
import { startWeirKit, useCoreSuite } from './support/weir-test-kit.js';

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
