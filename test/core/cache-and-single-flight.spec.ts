import { MemoryTokenStore, WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import {
  ManualClock,
  rejectionOf,
  startWeirKit,
  useCoreSuite,
  waitFor,
} from './support/weir-test-kit.js';

useCoreSuite();

describe('the token cache', () => {
  it('serves the cached token without another request', async () => {
    const { tokens, server } = await startWeirKit();

    const first = await tokens.getAccessToken();
    const again = [];
    for (let i = 0; i < 100; i++) again.push(await tokens.getAccessToken());

    expect(new Set(again)).toEqual(new Set([first]));
    expect((await tokens.getToken()).accessToken).toBe(first);
    expect(server.tokenRequests).toBe(1);
  });

  it('keeps the token in the configured store', async () => {
    const store = new MemoryTokenStore();
    const { tokens, clock } = await startWeirKit({ auth: { store } });
    const sentAt = clock.wallNow();

    const accessToken = await tokens.getAccessToken();

    await expect(store.get()).resolves.toEqual({
      accessToken,
      tokenType: 'Bearer',
      expiresIn: 3600,
      obtainedAt: sentAt,
      expiresAt: sentAt + 3_600_000,
    });
    tokens.invalidate(accessToken);
    await expect(store.get()).resolves.toBeUndefined();
  });

  it('invalidate(token) drops only that token: one obtained meanwhile is kept', async () => {
    const { tokens, server } = await startWeirKit();
    const first = await tokens.getAccessToken();
    const second = (await tokens.refresh()).accessToken;

    tokens.invalidate(first); // a late 401 for a request signed with the old token

    expect(await tokens.getAccessToken()).toBe(second);
    tokens.invalidate(second);
    expect(await tokens.getAccessToken()).not.toBe(second);
    expect(server.tokenRequests).toBe(3);
  });

  it('anchors the expiry at the moment the request was sent, not when the answer came', async () => {
    const clock = new ManualClock();
    // The server's clock is read when the request arrives: 30 s pass in flight.
    const { tokens, server } = await startWeirKit({
      clock,
      server: {
        expiresIn: 100,
        now: () => {
          clock.advance(30_000);
          return clock.wallNow();
        },
      },
    });
    const sentAt = clock.wallNow();

    const token = await tokens.getToken();

    expect(token.expiresAt).toEqual(new Date(sentAt + 100_000));
    expect(tokens.getStatus().obtainedAt).toEqual(new Date(sentAt));
    // 97 s after sending (67 s after the answer) the token is still good...
    clock.advance(67_000);
    expect(tokens.getStatus().hasValidToken).toBe(true);
    // ...at 99 s it is not: its 100 s ran from the send, not from the answer 30 s later.
    clock.advance(2_000);
    expect(tokens.getStatus().hasValidToken).toBe(false);
    expect(server.tokenRequests).toBe(1);
  });

  it('computes expiry on the monotonic clock: wall-clock jumps change nothing', async () => {
    const { tokens, server, clock } = await startWeirKit({ server: { expiresIn: 600 } });
    const first = await tokens.getAccessToken();

    clock.wall += 86_400_000; // NTP step forward a day
    expect(await tokens.getAccessToken()).toBe(first);
    clock.wall -= 2 * 86_400_000; // and back two
    expect(await tokens.getAccessToken()).toBe(first);
    expect(tokens.getStatus().hasValidToken).toBe(true);
    expect(server.tokenRequests).toBe(1);
  });

  it('does not extend a token past its expiry after the wall clock stepped back', async () => {
    const { tokens, server, clock, obtained } = await startWeirKit({ server: { expiresIn: 600 } });
    const first = await tokens.getAccessToken();
    clock.wall -= 3_600_000;

    // In the refresh window (the last 60 s): the background refresh must fetch a new token, not
    // re-read the same one from the store and map its wall-clock expiry (now an hour away) back.
    clock.advance(550_000);
    expect(await tokens.getAccessToken()).toBe(first);
    await waitFor(() => obtained.length === 2, 'the background refresh', 1_000).catch(() => {});
    clock.advance(60_000); // 610 s after the first token was requested
    const later = await tokens.getAccessToken();

    expect(later).not.toBe(first);
    expect(server.tokenRequests).toBe(2);
  });
});

describe('single flight', () => {
  it('10,000 concurrent cold callers share exactly one token request', async () => {
    const { tokens, server } = await startWeirKit({ server: { latencyMs: 20 } });

    const results = await Promise.all(
      Array.from({ length: 10_000 }, () => tokens.getAccessToken()),
    );

    expect(server.tokenRequests).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('concurrent getToken, getAccessToken and refresh calls share one request', async () => {
    const { tokens, server } = await startWeirKit({ server: { latencyMs: 20 } });

    const results = await Promise.all([
      ...Array.from({ length: 100 }, () => tokens.getToken().then((t) => t.accessToken)),
      ...Array.from({ length: 100 }, () => tokens.getAccessToken()),
      ...Array.from({ length: 100 }, () => tokens.refresh().then((t) => t.accessToken)),
    ]);

    expect(server.tokenRequests).toBe(1);
    expect(new Set(results).size).toBe(1);
  });

  it('concurrent callers share one failure too', async () => {
    const { tokens, server } = await startWeirKit({ server: { latencyMs: 20 } });
    server.setCredentials('someone-else', 'another-secret');

    const errors = await Promise.all(
      Array.from({ length: 1_000 }, () => rejectionOf(tokens.getAccessToken())),
    );

    expect(server.tokenRequests).toBe(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(WeirAuthError);
      expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_CREDENTIALS });
    }
  });

  it('starts a new flight once the previous one has settled', async () => {
    const { tokens, server } = await startWeirKit();
    const first = await tokens.getAccessToken();

    const [a, b] = await Promise.all([tokens.refresh(), tokens.refresh()]);

    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe(first);
    expect(server.tokenRequests).toBe(2);
  });
});
