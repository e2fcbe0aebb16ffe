import { FakeWeirServer, type FakeWeirServerOptions } from 'nestjs-weir-auth/testing';

const START = Date.UTC(2030, 0, 1);

/** A hand-moved clock, so rate windows and expiry are tested without waiting. */
class Clock {
  ms = START;
  readonly now = (): number => this.ms;
  set(offsetMs: number): void {
    this.ms = START + offsetMs;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

const GOOD_AUTH = basic('test-client', 'test-secret');

let server: FakeWeirServer;
let clock: Clock;

async function start(options: FakeWeirServerOptions = {}): Promise<FakeWeirServer> {
  clock = new Clock();
  server = await FakeWeirServer.start({ now: clock.now, ...options });
  return server;
}

afterEach(() => server?.close());

/** `authorization: null` sends no Authorization header. */
function requestToken(authorization: string | null = GOOD_AUTH, signal?: AbortSignal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  return fetch(`${server.url}/auth/token`, { method: 'POST', headers, signal });
}

async function issueToken(): Promise<string> {
  const res = await requestToken();
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: { accessToken: string } };
  return body.data.accessToken;
}

function callProtected(token: string | undefined, path = '/v1/echo', method = 'GET') {
  const headers: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  return fetch(`${server.url}${path}`, { method, headers });
}

function requestOAuth2Token(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

function rateHeaders(res: Response) {
  return {
    limit: res.headers.get('x-ratelimit-limit'),
    remaining: res.headers.get('x-ratelimit-remaining'),
    reset: res.headers.get('x-ratelimit-reset'),
  };
}

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const INVALID_CREDENTIALS = {
  error: {
    code: 'INVALID_CREDENTIALS',
    message: 'Invalid client credentials',
    details: 'The provided client ID or secret key is invalid',
  },
  status: 'error',
};

function rateLimitExceeded(details: string) {
  return {
    error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many token generation requests', details },
    status: 'error',
  };
}

describe('FakeWeirServer', () => {
  describe('lifecycle', () => {
    it('listens on 127.0.0.1 at an ephemeral port', async () => {
      await start();
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.origin).toBe(server.url);
    });

    it('rejects out-of-range options', async () => {
      await expect(FakeWeirServer.start({ expiresIn: -1 })).rejects.toThrow(RangeError);
      await expect(FakeWeirServer.start({ clientId: 'a:b' })).rejects.toThrow(RangeError);
      await expect(
        FakeWeirServer.start({ rateLimits: [{ limit: 0, windowMs: 1000 }] }),
      ).rejects.toThrow(RangeError);
    });

    it('closes promptly with a hung request and a keep-alive connection outstanding', async () => {
      await start();
      await issueToken(); // leaves a keep-alive socket in fetch's pool
      server.fail({ kind: 'hang' });
      const hung = requestToken();
      await waitFor(() => server.tokenRequests === 2);

      const began = Date.now();
      await server.close();
      expect(Date.now() - began).toBeLessThan(1000);
      await expect(hung).rejects.toThrow();
      await expect(server.close()).resolves.toBeUndefined();
    });

    it('closes while an answer is delayed by latency', async () => {
      await start({ latencyMs: 10_000 });
      const pending = requestToken();
      await waitFor(() => server.tokenRequests === 1);
      const began = Date.now();
      await server.close();
      expect(Date.now() - began).toBeLessThan(1000);
      await expect(pending).rejects.toThrow();
    });
  });

  describe('POST /auth/token', () => {
    it('issues a token in the vendor success envelope', async () => {
      await start();
      const res = await requestToken();

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as { data: { accessToken: string } };
      expect(body).toEqual({
        data: { accessToken: expect.any(String), expiresIn: 3600, tokenType: 'Bearer' },
        message: 'Access token generated successfully',
        status: 'success',
      });
    });

    it('issues unique JWT-looking tokens carrying iat and jti but no exp', async () => {
      await start();
      const first = await issueToken();
      const second = await issueToken();

      expect(first).not.toBe(second);
      const segments = first.split('.');
      expect(segments).toHaveLength(3);
      for (const segment of segments) expect(segment).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeSegment(segments[0])).toEqual({ alg: 'HS256', typ: 'JWT' });
      const payload = decodeSegment(segments[1]);
      expect(payload.iat).toBe(Math.floor(START / 1000));
      expect(payload.jti).toEqual(expect.any(String));
      expect(payload).not.toHaveProperty('exp');
    });

    it('reports the configured and updated lifetimes', async () => {
      await start({ expiresIn: 120 });
      let body = (await (await requestToken()).json()) as { data: { expiresIn: number } };
      expect(body.data.expiresIn).toBe(120);
      server.setExpiresIn(30);
      body = (await (await requestToken()).json()) as { data: { expiresIn: number } };
      expect(body.data.expiresIn).toBe(30);
    });

    it.each([
      ['a wrong secret', basic('test-client', 'nope')],
      ['an unknown client', basic('someone', 'test-secret')],
      ['no Authorization header', null],
      ['a non-Basic scheme', 'Bearer test-secret'],
      ['malformed base64', 'Basic !!!'],
      ['credentials without a colon', `Basic ${Buffer.from('test-client').toString('base64')}`],
    ])('answers 401 INVALID_CREDENTIALS for %s', async (_, authorization) => {
      await start();
      const res = await requestToken(authorization);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(INVALID_CREDENTIALS);
      expect(server.tokenRequests).toBe(1);
      expect(server.issuedTokens).toBe(0);
    });

    it('accepts rotated credentials and refuses the old ones', async () => {
      await start();
      server.setCredentials('rotated', 's3cret:with:colons');
      expect((await requestToken()).status).toBe(401);
      expect((await requestToken(basic('rotated', 's3cret:with:colons'))).status).toBe(200);
    });

    it('answers 405 to other methods, without counting a token request', async () => {
      await start();
      const res = await fetch(`${server.url}/auth/token`);
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(server.tokenRequests).toBe(0);
    });
  });

  describe('rate limits', () => {
    it('refuses the 11th request in a minute with the vendor envelope and Retry-After', async () => {
      await start();
      for (let i = 0; i < 10; i++) {
        clock.set(i * 1000);
        const res = await requestToken();
        expect(res.status).toBe(200);
        expect(rateHeaders(res)).toEqual({
          limit: '10',
          remaining: String(9 - i),
          reset: String(60 - i), // until the first request, at 0s, leaves the window
        });
      }

      clock.set(10_000);
      const refused = await requestToken();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual(
        rateLimitExceeded('Rate limit of 10 requests per minute exceeded'),
      );
      // The second request (at 1s) must leave the window before one more fits: 1s + 60s - 10s.
      expect(refused.headers.get('retry-after')).toBe('51');
      expect(rateHeaders(refused)).toEqual({ limit: '10', remaining: '0', reset: '51' });
      expect(server.issuedTokens).toBe(10);

      clock.set(61_000);
      expect((await requestToken()).status).toBe(200);
    });

    it('rounds Retry-After up to whole seconds', async () => {
      await start();
      for (let i = 0; i < 10; i++) await requestToken();
      clock.set(59_500);
      const refused = await requestToken();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
    });

    it('enforces the 5-minute burst window', async () => {
      await start();
      for (let i = 0; i < 10; i++) expect((await requestToken()).status).toBe(200);
      clock.set(60_000);
      let last: Response | undefined;
      for (let i = 0; i < 10; i++) {
        last = await requestToken();
        expect(last.status).toBe(200);
      }
      // Both windows are exhausted; the burst window frees its first slot last.
      expect(rateHeaders(last as Response)).toEqual({ limit: '20', remaining: '0', reset: '240' });

      clock.set(120_000);
      const refused = await requestToken();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual(
        rateLimitExceeded('Rate limit of 20 requests per 5 minutes exceeded'),
      );
      expect(refused.headers.get('retry-after')).toBe('180');
    });

    it('counts refused requests, so a client ignoring Retry-After waits longer', async () => {
      await start({ rateLimits: [{ limit: 2, windowMs: 10_000 }] });
      await requestToken();
      clock.set(1000);
      await requestToken();
      clock.set(2000);
      const first = await requestToken();
      expect(first.headers.get('retry-after')).toBe('9');

      clock.set(9000);
      const second = await requestToken();
      expect(second.status).toBe(429);
      // Had the refusal at 2s not counted, a slot would free at 11s.
      expect(second.headers.get('retry-after')).toBe('3');

      clock.set(12_000);
      expect((await requestToken()).status).toBe(200);
    });

    it('ignores requests that fail authentication', async () => {
      await start();
      for (let i = 0; i < 15; i++) await requestToken(basic('test-client', 'wrong'));
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(rateHeaders(res).remaining).toBe('9');
    });

    it('keeps separate windows per client ID', async () => {
      await start();
      for (let i = 0; i < 10; i++) await requestToken();
      expect((await requestToken()).status).toBe(429);
      server.setCredentials('other-client', 'other-secret');
      expect((await requestToken(basic('other-client', 'other-secret'))).status).toBe(200);
    });

    it('can be disabled', async () => {
      await start({ rateLimits: [] });
      for (let i = 0; i < 25; i++) {
        const res = await requestToken();
        expect(res.status).toBe(200);
        expect(res.headers.get('x-ratelimit-limit')).toBeNull();
      }
    });
  });

  describe('faults', () => {
    it('answers a scripted status with a vendor-style envelope, once by default', async () => {
      await start();
      server.fail({ kind: 'status', status: 503 });

      const res = await requestToken();
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'Service Unavailable',
          details: expect.any(String),
        },
        status: 'error',
      });
      expect((await requestToken()).status).toBe(200);
    });

    it('answers a scripted status with the given body and headers', async () => {
      await start();
      server.fail({
        kind: 'status',
        status: 429,
        body: { error: { code: 'SLOW_DOWN' } },
        headers: {
          'Retry-After': 'Wed, 21 Oct 2037 07:28:00 GMT',
          'Content-Type': 'application/problem+json',
        },
      });
      const res = await requestToken();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toEqual({ error: { code: 'SLOW_DOWN' } });
    });

    it('sends a string body verbatim', async () => {
      await start();
      server.fail({ kind: 'status', status: 500, body: '{"error":' });
      expect(await (await requestToken()).text()).toBe('{"error":');
    });

    it('answers a scripted rate limit without touching the real windows', async () => {
      await start();
      server.fail({ kind: 'rate-limit' });
      server.fail({ kind: 'rate-limit', retryAfterSeconds: 7 });

      const first = await requestToken();
      expect(first.status).toBe(429);
      expect(await first.json()).toEqual(
        rateLimitExceeded('Rate limit of 10 requests per minute exceeded'),
      );
      expect(first.headers.get('retry-after')).toBe('60');
      expect((await requestToken()).headers.get('retry-after')).toBe('7');

      const next = await requestToken();
      expect(next.status).toBe(200);
      expect(rateHeaders(next).remaining).toBe('9');
    });

    it('answers 200 with an HTML page', async () => {
      await start();
      server.fail({ kind: 'html' });
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
    });

    it('answers 200 with a body of the test’s choosing', async () => {
      await start();
      const body = { data: { accessToken: 'abc', expiresIn: -5, tokenType: 'Bearer' } };
      server.fail({ kind: 'body', body });
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(body);
    });

    it('answers an oversized but well-formed body of the exact size', async () => {
      await start();
      server.fail({ kind: 'oversized', bytes: 1_000_000 });
      const res = await requestToken();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('1000000');
      const text = await res.text();
      expect(Buffer.byteLength(text)).toBe(1_000_000);
      const body = JSON.parse(text) as { data: { accessToken: string } };
      expect(body.data.accessToken.length).toBeGreaterThan(900_000);
    });

    it('truncates an oversized body smaller than a success envelope', async () => {
      await start();
      server.fail({ kind: 'oversized', bytes: 10 });
      expect(await (await requestToken()).text()).toBe('{"data":{"');
    });

    it('hangs until the client gives up', async () => {
      await start();
      server.fail({ kind: 'hang' });
      await expect(requestToken(GOOD_AUTH, AbortSignal.timeout(200))).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      expect((await requestToken()).status).toBe(200);
    });

    it('resets the connection', async () => {
      await start();
      server.fail({ kind: 'reset' });
      await expect(requestToken()).rejects.toThrow('fetch failed');
      expect((await requestToken()).status).toBe(200);
    });

    it('applies a fault the given number of times, in the order scripted', async () => {
      await start();
      server.fail({ kind: 'status', status: 500 }, { times: 2 });
      server.fail({ kind: 'status', status: 502 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await requestToken()).status);
      expect(statuses).toEqual([500, 500, 502, 200]);
    });

    it('applies a fault forever until cleared', async () => {
      await start();
      server.fail({ kind: 'status', status: 500 }, { times: Infinity });
      for (let i = 0; i < 3; i++) expect((await requestToken()).status).toBe(500);
      server.clearFaults();
      expect((await requestToken()).status).toBe(200);
    });

    it('takes precedence over authentication and applies to the OAuth2 endpoint', async () => {
      await start();
      server.fail({ kind: 'status', status: 500 }, { times: 2 });
      expect((await requestToken(null)).status).toBe(500);
      expect((await requestOAuth2Token({ grant_type: 'client_credentials' })).status).toBe(500);
      expect(server.tokenRequests).toBe(2);
    });

    it('leaves the protected routes alone', async () => {
      await start();
      const token = await issueToken();
      server.fail({ kind: 'status', status: 500 });
      expect((await callProtected(token)).status).toBe(200);
      expect((await requestToken()).status).toBe(500);
    });

    it('rejects out-of-range faults', async () => {
      await start();
      expect(() => server.fail({ kind: 'status', status: 99 })).toThrow(RangeError);
      expect(() => server.fail({ kind: 'oversized', bytes: -1 })).toThrow(RangeError);
      expect(() => server.fail({ kind: 'rate-limit', retryAfterSeconds: 1.5 })).toThrow(RangeError);
      expect(() => server.fail({ kind: 'html' }, { times: 0 })).toThrow(RangeError);
      expect((await requestToken()).status).toBe(200);
    });
  });

  describe('protected /v1/* routes', () => {
    it('accept a live token', async () => {
      await start();
      const token = await issueToken();
      const res = await callProtected(token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        ok: true,
        path: '/v1/echo',
        method: 'GET',
        tokenIssuedAt: START,
      });
    });

    it('accept any method and path under /v1/', async () => {
      await start();
      const token = await issueToken();
      const res = await callProtected(token, '/v1/things/42?verbose=1', 'DELETE');
      expect(await res.json()).toMatchObject({ path: '/v1/things/42?verbose=1', method: 'DELETE' });
    });

    it.each([
      ['no token', undefined, 'A bearer access token is required'],
      ['an unknown token', 'not-a-token', 'The access token is unknown'],
    ])('reject %s with 401 INVALID_TOKEN', async (_, token, details) => {
      await start();
      const res = await callProtected(token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(await res.json()).toEqual({
        error: { code: 'INVALID_TOKEN', message: 'Invalid or expired access token', details },
        status: 'error',
      });
    });

    it('reject a token once its lifetime has passed', async () => {
      await start({ expiresIn: 60 });
      const token = await issueToken();
      clock.advance(59_999);
      expect((await callProtected(token)).status).toBe(200);
      clock.advance(1);
      const res = await callProtected(token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { code: 'INVALID_TOKEN', details: 'The access token has expired' },
      });
    });

    it('reject a revoked token and keep the others', async () => {
      await start();
      const revoked = await issueToken();
      const kept = await issueToken();

      expect(server.revoke(revoked)).toBe(1);
      expect(server.revoke(revoked)).toBe(0);
      expect(server.revoke('unknown')).toBe(0);
      const res = await callProtected(revoked);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { details: 'The access token has been revoked' },
      });
      expect((await callProtected(kept)).status).toBe(200);
    });

    it('reject every token revoked at once, but not later ones', async () => {
      await start();
      const tokens = [await issueToken(), await issueToken()];
      expect(server.revoke()).toBe(2);
      for (const token of tokens) expect((await callProtected(token)).status).toBe(401);
      expect((await callProtected(await issueToken())).status).toBe(200);
    });

    it('are counted, rejected requests included', async () => {
      await start();
      const token = await issueToken();
      await callProtected(token);
      await callProtected('bogus');
      expect(server.protectedRequests).toBe(2);
    });
  });

  describe('POST /oauth2/token', () => {
    it('grants client credentials given with Basic authentication', async () => {
      await start();
      const res = await requestOAuth2Token(
        { grant_type: 'client_credentials' },
        { authorization: GOOD_AUTH },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('pragma')).toBe('no-cache');
      const body = (await res.json()) as { access_token: string };
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
      });
      expect((await callProtected(body.access_token)).status).toBe(200);
    });

    it('grants client credentials given in the form body', async () => {
      await start();
      const res = await requestOAuth2Token({
        grant_type: 'client_credentials',
        client_id: 'test-client',
        client_secret: 'test-secret',
      });
      expect(res.status).toBe(200);
    });

    it('form-decodes Basic credentials, as RFC 6749 §2.3.1 requires', async () => {
      await start();
      server.setCredentials('my client', 'p&ss:w rd');
      const authorization = basic('my+client', 'p%26ss%3Aw+rd');
      const res = await requestOAuth2Token({ grant_type: 'client_credentials' }, { authorization });
      expect(res.status).toBe(200);
    });

    it('answers 401 invalid_client to bad credentials', async () => {
      await start();
      const res = await requestOAuth2Token({
        grant_type: 'client_credentials',
        client_id: 'test-client',
        client_secret: 'wrong',
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_client' });
    });

    it.each([
      ['an unsupported grant type', { grant_type: 'password' }, {}, 'unsupported_grant_type'],
      ['a missing grant type', {}, {}, 'invalid_request'],
      [
        'two authentication methods',
        {
          grant_type: 'client_credentials',
          client_id: 'test-client',
          client_secret: 'test-secret',
        },
        { authorization: GOOD_AUTH },
        'invalid_request',
      ],
      [
        'a JSON body',
        { grant_type: 'client_credentials' },
        { 'content-type': 'application/json', authorization: GOOD_AUTH },
        'invalid_request',
      ],
    ])('answers 400 to %s', async (_, form, headers, error) => {
      await start();
      const res = await requestOAuth2Token(form, headers);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error });
    });

    it('shares the token counters and rate windows with /auth/token', async () => {
      await start();
      const oauth2 = () =>
        requestOAuth2Token({ grant_type: 'client_credentials' }, { authorization: GOOD_AUTH });
      for (let i = 0; i < 5; i++) expect((await requestToken()).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await oauth2()).status).toBe(200);

      const refused = await oauth2();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(await refused.json()).toEqual({
        error: 'too_many_requests',
        error_description: 'Rate limit of 10 requests per minute exceeded',
      });
      expect(server.tokenRequests).toBe(11);
      expect(server.issuedTokens).toBe(10);
    });
  });

  describe('other routes and bodies', () => {
    it('answers 404 NOT_FOUND to unknown routes', async () => {
      await start();
      const res = await fetch(`${server.url}/nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' }, status: 'error' });
    });

    it('answers 413 to request bodies over 64 KiB', async () => {
      await start();
      const token = await issueToken();
      const res = await fetch(`${server.url}/v1/echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: 'x'.repeat(100_000),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    });

    it('delays answers by the configured latency', async () => {
      await start();
      server.setLatency(150);
      const began = Date.now();
      expect((await requestToken()).status).toBe(200);
      expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    });
  });

  describe('counters and recorded requests', () => {
    it('count token requests and issued tokens, and record every request', async () => {
      await start();
      await requestToken();
      await requestToken(basic('test-client', 'wrong'));
      clock.advance(5000);
      await fetch(`${server.url}/v1/echo?x=1`, { headers: { 'X-Custom': 'yes' } });

      expect(server.tokenRequests).toBe(2);
      expect(server.issuedTokens).toBe(1);
      expect(server.protectedRequests).toBe(1);
      expect(server.requests).toHaveLength(3);
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: '/auth/token',
        headers: { authorization: GOOD_AUTH, 'content-type': 'application/json' },
        receivedAt: START,
      });
      expect(server.requests[2]).toMatchObject({
        method: 'GET',
        path: '/v1/echo?x=1',
        headers: { 'x-custom': 'yes' },
        receivedAt: START + 5000,
      });
    });

    it('reset counters, recorded requests and rate windows, but keep tokens', async () => {
      await start();
      const token = await issueToken();
      for (let i = 0; i < 9; i++) await requestToken();
      await callProtected(token);
      expect((await requestToken()).status).toBe(429);

      server.resetCounters();
      expect(server.tokenRequests).toBe(0);
      expect(server.issuedTokens).toBe(0);
      expect(server.protectedRequests).toBe(0);
      expect(server.requests).toEqual([]);
      expect((await requestToken()).status).toBe(200);
      expect((await callProtected(token)).status).toBe(200);
    });
  });
});
