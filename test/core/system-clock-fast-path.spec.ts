import { Test } from '@nestjs/testing';
import { WeirAuthModule, WeirTokenService } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';

// With the default clock the hot path reads no clock: a timer marks when the token enters its
// refresh window. Jest's fake timers move performance.now(), Date.now() and that timer together.
describe('the default clock', () => {
  let server: FakeWeirServer;

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    server = await FakeWeirServer.start({ expiresIn: 600, now: () => Date.now() });
  });

  afterEach(async () => {
    jest.useRealTimers();
    await server.close();
  });

  it('refreshes ahead and never hands out a token past its expiry, without a clock read per call', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        WeirAuthModule.forRoot({
          clientId: 'test-client',
          secretKey: 'test-secret',
          baseUrl: server.url,
          logger: false,
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    const tokens = app.get(WeirTokenService);
    const obtained: string[] = [];
    tokens.tokenChanges$.subscribe((token) => obtained.push(token.accessToken));

    const first = await tokens.getAccessToken();
    jest.advanceTimersByTime(500_000); // 100 s left; the window is the last 60 s (10 %)
    expect(await tokens.getAccessToken()).toBe(first);
    expect(server.tokenRequests).toBe(1);

    jest.advanceTimersByTime(50_000); // 50 s left: in the refresh window
    expect(await tokens.getAccessToken()).toBe(first); // served at once…
    await waitFor(() => obtained.length === 2); // …while one background refresh runs
    const second = await tokens.getAccessToken();
    expect(second).not.toBe(first);

    jest.advanceTimersByTime(600_000); // past the second token's expiry too
    const third = await tokens.getAccessToken();
    expect([first, second]).not.toContain(third);
    expect(server.tokenRequests).toBe(3);
    await app.close();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}
