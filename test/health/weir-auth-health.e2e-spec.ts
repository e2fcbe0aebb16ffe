import type { INestApplication } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WeirTokenService } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import request from 'supertest';
import { SteppedClock, startHealthApp } from './health-app.js';

const clientId = 'health-client';
const secretKey = 'health-secret-key-1234';
// Fast retries: the storms below must not wait on backoff.
const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('GET /health with WeirAuthHealthIndicator, over HTTP', () => {
  let server: FakeWeirServer;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    server = await FakeWeirServer.start({ clientId, secretKey, expiresIn: 3600 });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await server.close();
  });

  const probe = () => request(app!.getHttpServer()).get('/health');

  it('is 200 and up with the token facts, never the token or the credentials', async () => {
    app = await startHealthApp({
      clientId,
      secretKey,
      environment: 'development',
      baseUrl: server.url,
      logger: false,
    });

    const first = await probe().expect(200);
    const second = await probe().expect(200);

    expect(first.body).toMatchObject({ status: 'ok', info: { 'weir-auth': { status: 'up' } } });
    const details = first.body.details['weir-auth'];
    expect(details).toEqual({
      status: 'up',
      environment: 'development',
      expiresInSeconds: expect.any(Number),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      obtainedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(details.expiresInSeconds).toBeGreaterThan(3590);
    expect(details.expiresInSeconds).toBeLessThanOrEqual(3600);

    const accessToken = await app.get(WeirTokenService).getAccessToken();
    for (const body of [first.text, second.text]) {
      expect(body).not.toContain(accessToken);
      expect(body).not.toContain(secretKey);
      expect(body).not.toContain(clientId);
    }
    // The second probe was answered from the cached token.
    expect(server.tokenRequests).toBe(1);
  });

  it('is 503 with INVALID_CREDENTIALS for bad credentials, and does not ask again', async () => {
    app = await startHealthApp({
      clientId,
      secretKey: 'not-the-secret-key',
      baseUrl: server.url,
      logger: false,
    });

    const res = await probe().expect(503);
    await probe().expect(503);

    expect(res.body.status).toBe('error');
    expect(res.body.error['weir-auth']).toEqual({
      status: 'down',
      environment: 'production',
      code: 'INVALID_CREDENTIALS',
      message: expect.any(String),
      retryAfterSeconds: 60,
      consecutiveFailures: 1,
    });
    expect(res.text).not.toContain('not-the-secret-key');
    expect(server.tokenRequests).toBe(1);
  });

  it('keeps a storm of probes against a failing Weir API within the rate budget', async () => {
    const clock = new SteppedClock();
    app = await startHealthApp({
      clientId,
      secretKey,
      baseUrl: server.url,
      logger: false,
      retry,
      clock,
    });
    server.fail({ kind: 'status', status: 500 }, { times: Infinity });

    // 200 probes at once share one token request (and its retries).
    const burst = await Promise.all(Array.from({ length: 200 }, () => probe()));
    expect(burst.every((res) => res.status === 503)).toBe(true);
    // The vendor's own code is passed on: the fake server's 500 envelope says INTERNAL_SERVER_ERROR.
    expect(burst[199].body.error['weir-auth']).toMatchObject({
      status: 'down',
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(server.tokenRequests).toBeLessThanOrEqual(retry.attempts);

    // Then a probe every 150 ms for a minute: failing probes ask again every 30 s at most.
    for (let i = 0; i < 400; i++) {
      clock.advance(150);
      expect((await probe()).status).toBe(503);
    }
    expect(server.tokenRequests).toBeLessThanOrEqual(10);
    expect(server.tokenRequests).toBeLessThanOrEqual(3 * retry.attempts);
  });

  it("honours the server's Retry-After under a probe storm", async () => {
    const clock = new SteppedClock();
    app = await startHealthApp({ clientId, secretKey, baseUrl: server.url, logger: false, clock });
    server.fail({ kind: 'rate-limit', retryAfterSeconds: 30 }, { times: Infinity });

    const first = await probe().expect(503);
    expect(first.body.error['weir-auth']).toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfterSeconds: 30,
    });

    // 200 probes spread over a minute of faked time.
    for (let i = 0; i < 200; i++) {
      clock.advance(300);
      const res = await probe().expect(503);
      expect(res.body.error['weir-auth'].code).toBe('RATE_LIMIT_EXCEEDED');
    }
    // One request at the start, then one each time a Retry-After ran out.
    expect(server.tokenRequests).toBeLessThanOrEqual(3);
  });

  it('is degraded, with the failure count, while background refreshes of a valid token fail', async () => {
    const clock = new SteppedClock();
    server = await restart(server, { clientId, secretKey, expiresIn: 600, now: clock.wallNow });
    app = await startHealthApp({
      clientId,
      secretKey,
      baseUrl: server.url,
      logger: false,
      retry,
      clock,
    });
    await probe().expect(200);

    // Into the token's refresh window (its last 60 s here): the next call refreshes in the background.
    server.fail({ kind: 'status', status: 503 }, { times: Infinity });
    clock.advance(545_000);
    const tokens = app.get(WeirTokenService);
    await tokens.getToken();
    await waitFor(() => tokens.getStatus().consecutiveFailures > 0);

    const res = await probe().expect(200);

    // Terminus 11 has no degraded state: there the indicator is up, with the same details.
    const degraded = terminusHasDegraded();
    expect(res.body.status).toBe(degraded ? 'degraded' : 'ok');
    expect(res.body.details['weir-auth']).toMatchObject({
      status: degraded ? 'degraded' : 'up',
      consecutiveFailures: expect.any(Number),
      lastErrorCode: 'SERVICE_UNAVAILABLE',
      expiresInSeconds: expect.any(Number),
    });
    expect(res.body.details['weir-auth'].consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(res.body.details['weir-auth'].expiresInSeconds).toBeLessThanOrEqual(55);
  });
});

function terminusHasDegraded(): boolean {
  return typeof new HealthIndicatorService().check('probe').degraded === 'function';
}

async function restart(
  server: FakeWeirServer,
  options: Parameters<typeof FakeWeirServer.start>[0],
): Promise<FakeWeirServer> {
  await server.close();
  return FakeWeirServer.start(options);
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
