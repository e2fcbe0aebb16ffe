import type { WeirAccessToken } from 'nestjs-weir-auth';
import { seededRandom } from './support/seeded-random.js';
import {
  settledWithin,
  sleep,
  startWeirKit,
  useCoreSuite,
  waitFor,
  type WeirKit,
} from './support/weir-test-kit.js';

useCoreSuite();

/** Moves the clock to `ms` after the first token request was sent (the kit's start). */
function at(kit: WeirKit, startedAt: number, ms: number): void {
  kit.clock.advance(startedAt + ms - kit.clock.now());
}

describe('refresh ahead (stale-while-revalidate)', () => {
  it('starts one background refresh in the window, by default the last 5 min of a 1 h token', async () => {
    const kit = await startWeirKit({ server: { latencyMs: 100 } });
    const { tokens, server, obtained } = kit;
    const start = kit.clock.now();
    const first = await tokens.getAccessToken();

    at(kit, start, 3_300_000 - 1);
    expect(await tokens.getAccessToken()).toBe(first);
    expect(server.tokenRequests).toBe(1);

    at(kit, start, 3_300_000);
    const during = await Promise.all(Array.from({ length: 1_000 }, () => tokens.getAccessToken()));
    // Everyone got the cached token at once; one refresh is under way.
    expect(new Set(during)).toEqual(new Set([first]));
    await waitFor(() => obtained.length === 2, 'the background refresh');
    expect(server.tokenRequests).toBe(2);
    expect(await tokens.getAccessToken()).toBe(obtained[1]);
    expect(obtained[1]).not.toBe(first);
  });

  it('uses 10 % of the lifetime when that is shorter than 5 min', async () => {
    const kit = await startWeirKit({ server: { expiresIn: 600 } });
    const start = kit.clock.now();
    await kit.tokens.getAccessToken();

    at(kit, start, 539_000);
    await kit.tokens.getAccessToken();
    expect(kit.server.tokenRequests).toBe(1);

    at(kit, start, 541_000);
    await kit.tokens.getAccessToken();
    await waitFor(() => kit.server.tokenRequests === 2, 'the background refresh');
  });

  it.each([
    ['refreshAheadMs: 10 s', { refreshAheadMs: 10_000 }, 3_589_000, 3_591_000],
    [
      'refreshAheadRatio: 0.5',
      { refreshAheadMs: 86_400_000, refreshAheadRatio: 0.5 },
      1_799_000,
      1_801_000,
    ],
  ])('honours %s', async (_, auth, before, after) => {
    const kit = await startWeirKit({ auth });
    const start = kit.clock.now();
    await kit.tokens.getAccessToken();

    at(kit, start, before);
    await kit.tokens.getAccessToken();
    expect(kit.server.tokenRequests).toBe(1);

    at(kit, start, after);
    await kit.tokens.getAccessToken();
    await waitFor(() => kit.server.tokenRequests === 2, 'the background refresh');
  });

  it('never makes a caller wait while a valid token exists', async () => {
    const kit = await startWeirKit({ auth: { requestTimeoutMs: 10_000 } });
    const start = kit.clock.now();
    const first = await kit.tokens.getAccessToken();
    kit.server.fail({ kind: 'hang' });

    at(kit, start, 3_400_000);
    expect(await settledWithin(kit.tokens.getAccessToken())).toBe(first);
    await waitFor(() => kit.server.tokenRequests === 2, 'the background refresh to be sent');
    // The refresh hangs; callers still get the cached token at once, and nothing else is sent.
    const later = await settledWithin(
      Promise.all([kit.tokens.getAccessToken(), kit.tokens.getToken()]),
    );
    expect(later).toEqual([first, expect.objectContaining({ accessToken: first })]);
    expect(kit.server.tokenRequests).toBe(2);
  });

  it('makes callers wait only when no valid token is left', async () => {
    const kit = await startWeirKit({ server: { expiresIn: 600 } });
    const start = kit.clock.now();
    const first = await kit.tokens.getAccessToken();

    // Past the usable life (600 s less a 5 s safety margin), with no refresh having happened.
    at(kit, start, 595_000);
    expect(kit.tokens.getStatus().hasValidToken).toBe(false);
    const next = await kit.tokens.getAccessToken();

    expect(next).not.toBe(first);
    expect(kit.server.tokenRequests).toBe(2);
  });

  it('retries a failed background refresh with backoff while the old token is valid', async () => {
    const kit = await startWeirKit();
    const { tokens, server } = kit;
    const start = kit.clock.now();
    const first = await tokens.getAccessToken();
    server.fail({ kind: 'status', status: 503 }, { times: Infinity });

    at(kit, start, 3_300_000);
    expect(await tokens.getAccessToken()).toBe(first);
    // One refresh: retry.attempts (3) requests, then it gives up for now.
    await waitFor(() => tokens.getStatus().consecutiveFailures === 1, 'the refresh to fail');
    expect(server.tokenRequests).toBe(4);
    expect(tokens.getStatus().retryAfterMs).toBeGreaterThan(0);

    // Held back: callers keep the old token and send nothing.
    for (let i = 0; i < 100; i++) expect(await tokens.getAccessToken()).toBe(first);
    expect(server.tokenRequests).toBe(4);

    // When the hold is over, a timer retries on its own (no caller needed).
    kit.clock.advance(tokens.getStatus().retryAfterMs!);
    await waitFor(() => tokens.getStatus().consecutiveFailures === 2, 'the scheduled retry');
    expect(server.tokenRequests).toBe(7);
    expect(await tokens.getAccessToken()).toBe(first);

    // The server recovers: the next retry brings a new token.
    server.clearFaults();
    kit.clock.advance(tokens.getStatus().retryAfterMs!);
    expect(await tokens.getAccessToken()).toBe(first);
    await waitFor(() => kit.obtained.length === 2, 'the new token');
    expect(await tokens.getAccessToken()).toBe(kit.obtained[1]);
    expect(tokens.getStatus().consecutiveFailures).toBe(0);
  });

  it('never hands out a token past its expiry, over many lifetimes of random traffic', async () => {
    const kit = await startWeirKit({ server: { expiresIn: 120 } });
    const { tokens, server, clock } = kit;
    const random = seededRandom(42);
    const start = clock.now();
    let handedOut = 0;

    for (let step = 0; step < 150; step++) {
      clock.advance(Math.floor(random() * 7_000));
      const got: WeirAccessToken[] = await Promise.all(
        Array.from({ length: 1 + Math.floor(random() * 20) }, () => tokens.getToken()),
      );
      handedOut += got.length;
      for (const token of got) {
        expect(token.expiresAt.getTime()).toBeGreaterThan(clock.wallNow());
      }
      // The server, on the same clock, is the judge: it accepts every token handed out right now.
      for (const accessToken of new Set(got.map((token) => token.accessToken))) {
        const answer = await fetch(`${server.url}/v1/check`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(answer.status).toBe(200);
        await answer.arrayBuffer();
      }
      await waitFor(() => server.tokenRequests === kit.obtained.length, 'refreshes to settle');
    }

    const elapsed = clock.now() - start;
    expect(elapsed).toBeGreaterThan(4 * 120_000);
    expect(handedOut).toBeGreaterThan(1_000);
    // About one request per (lifetime - window), never a storm.
    expect(server.tokenRequests).toBeLessThanOrEqual(Math.ceil(elapsed / 108_000) + 2);
  });
});

describe('keepFresh', () => {
  it('is off by default: an idle app sends nothing', async () => {
    const kit = await startWeirKit();
    await sleep(50);
    expect(kit.server.tokenRequests).toBe(0);
  });

  it('fetches at start-up and refreshes an idle app’s token on a timer', async () => {
    // A 0.5 s token: the refresh window opens 450 ms after the request.
    const kit = await startWeirKit({ auth: { keepFresh: true }, server: { expiresIn: 0.5 } });
    await waitFor(() => kit.obtained.length === 1, 'the start-up token');

    kit.clock.advance(450);
    await waitFor(() => kit.obtained.length === 2, 'the timer refresh');
    expect(kit.server.tokenRequests).toBe(2);
  });

  it('copes with lifetimes beyond the 24.8-day limit of a Node timer', async () => {
    const kit = await startWeirKit({
      auth: { keepFresh: true },
      server: { expiresIn: 30 * 86_400 },
    });
    await waitFor(() => kit.obtained.length === 1, 'the start-up token');

    // An overflowing setTimeout fires after 1 ms, again and again: a request loop.
    await sleep(100);
    expect(kit.server.tokenRequests).toBe(1);
  });
});
