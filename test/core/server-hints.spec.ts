import { WeirAuthError, WeirAuthErrorCode, WeirAuthOptionsError } from 'nestjs-weir-auth';
import {
  CLIENT_ID,
  ManualClock,
  rejectionOf,
  SECRET_KEY,
  startWeirKit,
  useCoreSuite,
} from './support/weir-test-kit.js';

useCoreSuite();

describe('what the first failure tells the caller', () => {
  it('INVALID_CREDENTIALS carries the hold as retryAfterMs from the first failure on', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { invalidCredentialsBackoffMs: 45_000 },
    });
    server.setCredentials(CLIENT_ID, 'rotated-secret');
    const error = (await rejectionOf(tokens.getAccessToken())) as WeirAuthError;
    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({
      code: WeirAuthErrorCode.INVALID_CREDENTIALS,
      retryAfterMs: 45_000,
    });
  });

  it('a vendor message echoing an Authorization value is redacted', async () => {
    const { tokens, server } = await startWeirKit();
    server.fail({
      kind: 'status',
      status: 400,
      body: {
        error: { code: 'bad_request', message: `rejected Basic ${SECRET_KEY}` },
        status: 'error',
      },
    });
    const error = (await rejectionOf(tokens.getAccessToken())) as WeirAuthError;
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain('Basic [REDACTED]');
    expect(error.message).not.toContain(SECRET_KEY);
  });
});

describe('a 503 with Retry-After', () => {
  it('is retried no sooner than the server allows', async () => {
    // Real time here: the retry waits on a real timer, and the pause must have passed by then.
    const clock = Object.assign(new ManualClock(), {
      now: () => performance.now(),
      wallNow: () => Date.now(),
    });
    const { tokens, server } = await startWeirKit({
      clock,
      auth: { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5_000 } },
    });
    server.fail({ kind: 'status', status: 503, headers: { 'Retry-After': '1' } });
    const started = performance.now();
    await expect(tokens.getAccessToken()).resolves.toEqual(expect.any(String));
    expect(server.tokenRequests).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('fails at once with retryAfterMs when the server asks for longer than a backoff', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1_000 } },
    });
    server.fail({ kind: 'status', status: 503, headers: { 'Retry-After': '120' } });
    const error = (await rejectionOf(tokens.getAccessToken())) as WeirAuthError;
    expect(error).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    expect(server.tokenRequests).toBe(1);
  });
});

describe('clientId', () => {
  it("must not contain ':' (HTTP Basic cannot carry it)", async () => {
    const error = await rejectionOf(startWeirKit({ auth: { clientId: 'a:b' } }));
    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    expect((error as WeirAuthOptionsError).invalidKeys).toEqual(['clientId']);
  });
});
