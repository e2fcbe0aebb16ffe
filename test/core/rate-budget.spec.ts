import { WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import { busiestWindow } from '../support/busiest-window.js';
import { seededRandom } from './support/seeded-random.js';
import {
  rejectionOf,
  sleep,
  startWeirKit,
  useCoreSuite,
  waitFor,
} from './support/weir-test-kit.js';

useCoreSuite();

function expectBudgetError(error: unknown): void {
  expect(error).toBeInstanceOf(WeirAuthError);
  expect(error).toMatchObject({ code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED });
  expect((error as WeirAuthError).retryAfterMs).toBeGreaterThan(0);
}

describe('the rate budget', () => {
  it('holds under an invalidate-and-refresh storm: never 10 in 60 s nor 20 in 300 s', async () => {
    const { tokens, server, clock, obtained } = await startWeirKit();
    const random = seededRandom(1234);
    let refused = 0;

    for (let step = 0; step < 400; step++) {
      // Every caller's API call is answered 401, so each one drops the token and asks again.
      const current = obtained.at(-1);
      if (random() < 0.5) tokens.invalidate(current);
      const calls = Array.from({ length: 10 }, (_, i) =>
        i === 0 && random() < 0.3 ? tokens.refresh() : tokens.getAccessToken(),
      );
      for (const outcome of await Promise.allSettled(calls)) {
        if (outcome.status === 'fulfilled') continue;
        refused++;
        expectBudgetError(outcome.reason);
      }
      clock.advance(Math.floor(random() * 3_000));
    }

    const sentAt = server.requests.map((request) => request.receivedAt);
    expect(busiestWindow(sentAt, 60_000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(sentAt, 300_000)).toBeLessThanOrEqual(20);
    // The budget was used (about 20 per 5 min over 10 min), and the server never had to refuse.
    expect(server.tokenRequests).toBeGreaterThanOrEqual(30);
    expect(server.issuedTokens).toBe(server.tokenRequests);
    expect(refused).toBeGreaterThan(0);
  });

  it('serves callers holding a valid token when the budget is spent', async () => {
    const { tokens, server, obtained } = await startWeirKit();
    await tokens.getAccessToken();

    const errors: unknown[] = [];
    for (let i = 0; i < 30; i++) await tokens.refresh().catch((error) => errors.push(error));

    expect(server.tokenRequests).toBe(10);
    expect(errors).toHaveLength(21);
    errors.forEach(expectBudgetError);
    // The last token obtained is still valid, and served without a request.
    expect(await tokens.getAccessToken()).toBe(obtained.at(-1));
    expect(server.tokenRequests).toBe(10);
  });

  it('refuses callers without a token with RATE_LIMIT_EXCEEDED and retryAfterMs', async () => {
    const { tokens, server, clock } = await startWeirKit({
      auth: { rateLimits: [{ limit: 3, windowMs: 10_000 }] },
    });
    for (let i = 0; i < 3; i++) {
      tokens.invalidate();
      await tokens.getAccessToken();
      clock.advance(1_000);
    }

    tokens.invalidate();
    const error = await rejectionOf(tokens.getAccessToken());

    expectBudgetError(error);
    // The first of the three leaves the window 10 s after it was sent, 7 s from now.
    expect((error as WeirAuthError).retryAfterMs).toBe(7_000);
    expect(server.tokenRequests).toBe(3);
    clock.advance(7_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
  });

  it('lets callers wait for the budget up to maxRateLimitWaitMs', async () => {
    const { tokens, server, clock } = await startWeirKit({
      auth: { rateLimits: [{ limit: 1, windowMs: 200 }], maxRateLimitWaitMs: 1_000 },
    });
    const first = await tokens.getAccessToken();
    tokens.invalidate();

    const pending = tokens.getAccessToken();
    await sleep(20);
    expect(server.tokenRequests).toBe(1);
    clock.advance(200);

    const next = await pending;
    expect(next).not.toBe(first);
    expect(server.tokenRequests).toBe(2);
  });

  it('does not wait when the budget frees later than maxRateLimitWaitMs', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { rateLimits: [{ limit: 1, windowMs: 60_000 }], maxRateLimitWaitMs: 1_000 },
    });
    await tokens.getAccessToken();
    tokens.invalidate();

    const error = await rejectionOf(tokens.getAccessToken());

    expectBudgetError(error);
    expect((error as WeirAuthError).retryAfterMs).toBe(60_000);
    expect(server.tokenRequests).toBe(1);
  });

  it('counts retries against the budget', async () => {
    const { tokens, server } = await startWeirKit({
      auth: {
        rateLimits: [{ limit: 2, windowMs: 60_000 }],
        retry: { attempts: 5, baseDelayMs: 1 },
      },
    });
    server.fail({ kind: 'status', status: 503 }, { times: Infinity });

    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    await waitFor(() => server.tokenRequests >= 2, 'the retries');
    expect(server.tokenRequests).toBe(2);
  });
});
