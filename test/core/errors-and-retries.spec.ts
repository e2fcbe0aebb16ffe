import { WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import {
  BASIC_CREDENTIALS,
  CLIENT_ID,
  rejectionOf,
  SECRET_KEY,
  sleep,
  startWeirKit,
  useCoreSuite,
  waitFor,
} from './support/weir-test-kit.js';

useCoreSuite();

function expectWeirError(error: unknown, expected: Partial<WeirAuthError>): void {
  expect(error).toBeInstanceOf(WeirAuthError);
  expect(error).toMatchObject(expected);
}

describe('invalid credentials', () => {
  it('are not retried, and repeated calls do not hammer the endpoint', async () => {
    const { tokens, server, clock } = await startWeirKit({
      auth: { invalidCredentialsBackoffMs: 30_000 },
    });
    server.setCredentials(CLIENT_ID, 'rotated-secret');

    const first = await rejectionOf(tokens.getAccessToken());
    expectWeirError(first, { code: WeirAuthErrorCode.INVALID_CREDENTIALS, status: 401 });
    expect(server.tokenRequests).toBe(1);

    for (let i = 0; i < 100; i++) {
      clock.advance(250);
      const error = await rejectionOf(tokens.getAccessToken());
      expectWeirError(error, { code: WeirAuthErrorCode.INVALID_CREDENTIALS });
      expect((error as WeirAuthError).retryAfterMs).toBeLessThanOrEqual(30_000);
    }
    expect(server.tokenRequests).toBe(1);

    // 30 s after the failure one request is allowed; it fails again and holds again.
    clock.advance(5_000);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(server.tokenRequests).toBe(2);
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(server.tokenRequests).toBe(2);
  });

  it('are retried after the hold once fixed, even under steady traffic', async () => {
    const { tokens, server, clock } = await startWeirKit({
      auth: { invalidCredentialsBackoffMs: 10_000 },
    });
    server.setCredentials(CLIENT_ID, 'rotated-secret');
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    server.setCredentials(CLIENT_ID, SECRET_KEY);

    // A caller every second must not keep pushing the next attempt back.
    for (let i = 0; i < 9; i++) {
      clock.advance(1_000);
      await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    clock.advance(1_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(2);
  });
});

describe('429 and the rate-limit headers', () => {
  it('honours Retry-After in seconds: nothing is sent before the server allows', async () => {
    const { tokens, server, clock } = await startWeirKit();
    server.fail({ kind: 'rate-limit', retryAfterSeconds: 30 });

    const error = await rejectionOf(tokens.getAccessToken());
    expectWeirError(error, {
      code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED,
      status: 429,
      retryAfterMs: 30_000,
    });

    clock.advance(29_999);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 1,
    });
    expect(tokens.getStatus().retryAfterMs).toBe(1);
    expect(server.tokenRequests).toBe(1);

    clock.advance(1);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(2);
  });

  it.each([
    [
      'Retry-After as an HTTP-date',
      (wall: number) => ({ 'Retry-After': new Date(wall + 45_000).toUTCString() }),
    ],
    [
      'X-RateLimit-Reset as a delta',
      () => ({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '45' }),
    ],
    [
      'X-RateLimit-Reset as an epoch second',
      (wall: number) => ({ 'X-RateLimit-Reset': String(wall / 1000 + 45) }),
    ],
    ['RateLimit-Reset', () => ({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '45' })],
    ['a structured RateLimit header', () => ({ RateLimit: '"default";r=0;t=45' })],
  ])('honours %s', async (_, headers) => {
    const { tokens, server, clock } = await startWeirKit();
    server.fail({ kind: 'status', status: 429, body: '', headers: headers(clock.wallNow()) });

    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 45_000,
    });
    clock.advance(44_000);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    expect(server.tokenRequests).toBe(1);

    clock.advance(1_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(2);
  });

  it('honours the server’s own limit when another pod spent the budget', async () => {
    const { tokens, server, clock } = await startWeirKit({
      server: { rateLimits: [{ limit: 2, windowMs: 60_000 }] },
    });
    await tokens.getAccessToken();
    clock.advance(10_000);
    // Another pod with the same credentials takes the server's last request of the window.
    const other = await fetch(`${server.url}/auth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${BASIC_CREDENTIALS}`, 'content-type': 'application/json' },
    });
    expect(other.status).toBe(200);
    await other.arrayBuffer();
    tokens.invalidate();

    // The server refuses, and counts the refusal too: it asks for a full minute.
    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      status: 429,
      retryAfterMs: 60_000,
    });
    clock.advance(59_000);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    expect(server.tokenRequests).toBe(3);
    clock.advance(1_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(4);
  });

  it('pauses when a success says the server’s budget is spent (X-RateLimit-Remaining: 0)', async () => {
    const { tokens, server, clock } = await startWeirKit({
      server: { rateLimits: [{ limit: 2, windowMs: 60_000 }] },
    });
    await tokens.getAccessToken();
    clock.advance(10_000);
    tokens.invalidate();
    await tokens.getAccessToken(); // the server's answer: Remaining 0, Reset 50
    tokens.invalidate();

    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 50_000,
    });
    expect(server.tokenRequests).toBe(2);
    clock.advance(50_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(3);
  });

  it('pauses a full minute on a 429 without any rate-limit header', async () => {
    const { tokens, server, clock } = await startWeirKit();
    server.fail({ kind: 'status', status: 429, body: '' });

    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    clock.advance(59_000);
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
    expect(server.tokenRequests).toBe(1);
    clock.advance(1_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
  });

  it('waits for the server, within maxRateLimitWaitMs, instead of failing', async () => {
    const { tokens, server, clock, logger } = await startWeirKit({
      auth: { maxRateLimitWaitMs: 5_000 },
    });
    server.fail({ kind: 'status', status: 429, body: '', headers: { 'Retry-After': '0.2' } });

    const pending = tokens.getAccessToken();
    // Once the 429 is handled (and logged), the wait runs on the clock: move it.
    await waitFor(() => logger.lines('warn').length === 1, 'the 429 to be handled');
    clock.advance(200);

    await expect(pending).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(2);
  });

  it('after a success that spent the budget (Remaining: 0), sends nothing before the reset', async () => {
    const { tokens, server, clock } = await startWeirKit();
    server.fail({
      kind: 'status',
      status: 200,
      body: {
        data: { accessToken: 'last-of-the-window', expiresIn: 3600, tokenType: 'Bearer' },
        message: 'Access token generated successfully',
        status: 'success',
      },
      headers: {
        'X-RateLimit-Limit': '10',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': '40',
      },
    });
    expect(await tokens.getAccessToken()).toBe('last-of-the-window');

    tokens.invalidate('last-of-the-window');
    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterMs: 40_000,
    });
    expect(server.tokenRequests).toBe(1);
    clock.advance(40_000);
    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
  });
});

describe('transient failures', () => {
  it.each([
    ['5xx', { kind: 'status', status: 503 } as const],
    ['a reset connection', { kind: 'reset' } as const],
    ['a time-out', { kind: 'hang' } as const],
  ])('%s is retried with backoff', async (_, fault) => {
    const { tokens, server, logger } = await startWeirKit({ auth: { requestTimeoutMs: 200 } });
    server.fail(fault, { times: 2 });

    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);

    expect(server.tokenRequests).toBe(3);
    expect(logger.lines('warn')).toHaveLength(2);
  });

  it('is retried at most retry.attempts times', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { retry: { attempts: 4, baseDelayMs: 1 } },
    });
    server.fail({ kind: 'status', status: 500, body: '' }, { times: Infinity });

    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: WeirAuthErrorCode.SERVER_ERROR,
      status: 500,
    });
    expect(server.tokenRequests).toBe(4);
  });

  it('maps a reset connection to NETWORK_ERROR and a hung one to TIMEOUT', async () => {
    const { tokens, server, clock } = await startWeirKit({
      auth: { requestTimeoutMs: 200, retry: { attempts: 1 } },
    });
    server.fail({ kind: 'reset' });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    clock.advance(60_000);
    server.fail({ kind: 'hang' });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('maps a refused connection to NETWORK_ERROR', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { retry: { attempts: 2, baseDelayMs: 1 } },
    });
    await server.close();

    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});

describe('error codes', () => {
  it.each([
    [
      'the vendor code over the status',
      400,
      { error: { code: 'INVALID_CREDENTIALS', message: 'no' } },
      'INVALID_CREDENTIALS',
      1,
    ],
    [
      'the vendor code even on a 5xx',
      503,
      { error: { code: 'RATE_LIMIT_EXCEEDED' } },
      'RATE_LIMIT_EXCEEDED',
      1,
    ],
    [
      'an unknown vendor code, passed through',
      418,
      { error: { code: 'TEAPOT_REFUSED' }, status: 'error' },
      'TEAPOT_REFUSED',
      1,
    ],
    [
      'an unknown vendor code on a 5xx, passed through and retried',
      502,
      { error: { code: 'UPSTREAM_DOWN' } },
      'UPSTREAM_DOWN',
      3,
    ],
    ['401 without a body', 401, '', 'INVALID_CREDENTIALS', 1],
    ['403 without a body', 403, '', 'INVALID_CREDENTIALS', 1],
    ['429 without a body', 429, '', 'RATE_LIMIT_EXCEEDED', 1],
    ['500 with an HTML page', 500, '<html><body>Oops</body></html>', 'SERVER_ERROR', 3],
    ['400 without a code', 400, { error: { message: 'bad' } }, 'INVALID_RESPONSE', 1],
  ])('%s', async (_, status, body, code, requests) => {
    const { tokens, server } = await startWeirKit();
    server.fail({ kind: 'status', status, body }, { times: Infinity });

    const error = await rejectionOf(tokens.getAccessToken());

    expectWeirError(error, { code, status });
    expect(server.tokenRequests).toBe(requests);
  });
});

describe('outages', () => {
  it('recover: callers get errors fast during the outage and a token right after it', async () => {
    const { tokens, server, clock } = await startWeirKit();
    server.fail({ kind: 'status', status: 503 }, { times: Infinity });

    // Two minutes of steady traffic (a caller every 500 ms) against a dead endpoint.
    for (let t = 0; t < 120_000; t += 500) {
      await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(WeirAuthError);
      clock.advance(500);
    }
    // Held back between attempts: far fewer requests than calls, and at most 30 s apart.
    const outageRequests = server.tokenRequests;
    expect(outageRequests).toBeLessThan(60);
    expect(outageRequests).toBeGreaterThanOrEqual(3 * 4);

    server.clearFaults();
    let recovered: string | undefined;
    for (let t = 0; t <= 30_000 && recovered === undefined; t += 500) {
      recovered = await tokens.getAccessToken().catch(() => undefined);
      clock.advance(500);
    }
    expect(recovered).toMatch(/^ey/);
    expect(tokens.getStatus()).toMatchObject({ hasValidToken: true, consecutiveFailures: 0 });
  });

  it('serve the cached token until its usable life ends', async () => {
    const { tokens, server, clock } = await startWeirKit({ server: { expiresIn: 600 } });
    const start = clock.now();
    const first = await tokens.getAccessToken();
    server.fail({ kind: 'status', status: 503 }, { times: Infinity });

    for (let t = 0; t < 594_000; t += 3_000) {
      clock.advance(start + t - clock.now());
      expect(await tokens.getAccessToken()).toBe(first);
      await sleep(2); // lets a background refresh reach the server
    }
    // From 540 s on the refreshes did try, several times, held back in between.
    expect(server.tokenRequests).toBeGreaterThan(3);
    expect(tokens.getStatus().consecutiveFailures).toBeGreaterThan(1);

    clock.advance(start + 596_000 - clock.now());
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(WeirAuthError);
    expect(tokens.getStatus().hasValidToken).toBe(false);
  });
});
