import { WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import type { FakeWeirFault } from 'nestjs-weir-auth/testing';
import { inspect } from 'node:util';
import { rejectionOf, startWeirKit, useCoreSuite } from './support/weir-test-kit.js';

useCoreSuite();

/** A token value that must never be echoed by an error about the answer that carried it. */
const LEAKY = 'leaky-token-value-0123456789';

function envelope(data: unknown, status: unknown = 'success') {
  return { data, message: 'Access token generated successfully', status };
}

const MALFORMED: ReadonlyArray<readonly [string, FakeWeirFault]> = [
  ['an HTML page', { kind: 'html' }],
  ['truncated JSON', { kind: 'body', body: `{"data":{"accessToken":"${LEAKY}",` }],
  ['an empty body', { kind: 'body', body: '' }],
  ['a JSON array', { kind: 'body', body: [LEAKY] }],
  ['JSON null', { kind: 'body', body: 'null' }],
  ['no data', { kind: 'body', body: { status: 'success', message: 'ok' } }],
  [
    'status "error"',
    {
      kind: 'body',
      body: envelope({ accessToken: LEAKY, expiresIn: 3600, tokenType: 'Bearer' }, 'error'),
    },
  ],
  [
    'no status',
    { kind: 'body', body: { data: { accessToken: LEAKY, expiresIn: 3600, tokenType: 'Bearer' } } },
  ],
  [
    'an empty accessToken',
    { kind: 'body', body: envelope({ accessToken: '', expiresIn: 3600, tokenType: 'Bearer' }) },
  ],
  [
    'a blank accessToken',
    { kind: 'body', body: envelope({ accessToken: '   ', expiresIn: 3600, tokenType: 'Bearer' }) },
  ],
  [
    'a numeric accessToken',
    { kind: 'body', body: envelope({ accessToken: 42, expiresIn: 3600, tokenType: 'Bearer' }) },
  ],
  ['no accessToken', { kind: 'body', body: envelope({ expiresIn: 3600, tokenType: 'Bearer' }) }],
  [
    'a negative expiresIn',
    { kind: 'body', body: envelope({ accessToken: LEAKY, expiresIn: -3600, tokenType: 'Bearer' }) },
  ],
  [
    'a zero expiresIn',
    { kind: 'body', body: envelope({ accessToken: LEAKY, expiresIn: 0, tokenType: 'Bearer' }) },
  ],
  [
    'a string expiresIn',
    {
      kind: 'body',
      body: envelope({ accessToken: LEAKY, expiresIn: '3600', tokenType: 'Bearer' }),
    },
  ],
  [
    'an infinite expiresIn',
    {
      kind: 'body',
      body: `{"data":{"accessToken":"${LEAKY}","expiresIn":1e400,"tokenType":"Bearer"},"status":"success"}`,
    },
  ],
  ['no expiresIn', { kind: 'body', body: envelope({ accessToken: LEAKY, tokenType: 'Bearer' }) }],
  [
    'tokenType MAC',
    { kind: 'body', body: envelope({ accessToken: LEAKY, expiresIn: 3600, tokenType: 'MAC' }) },
  ],
  ['no tokenType', { kind: 'body', body: envelope({ accessToken: LEAKY, expiresIn: 3600 }) }],
];

describe('malformed answers', () => {
  it.each(MALFORMED)('%s → INVALID_RESPONSE, not retried, nothing echoed', async (_, fault) => {
    const { tokens, server } = await startWeirKit();
    server.fail(fault);

    const error = await rejectionOf(tokens.getAccessToken());

    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_RESPONSE, status: 200 });
    expect(server.tokenRequests).toBe(1);
    expect(inspect(error)).not.toContain(LEAKY);
    expect(JSON.stringify(error)).not.toContain(LEAKY);
  });

  it('an oversized body → INVALID_RESPONSE (default bound: 64 KiB)', async () => {
    const { tokens, server } = await startWeirKit();
    server.fail({ kind: 'oversized', bytes: 200 * 1024 });

    const error = await rejectionOf(tokens.getAccessToken());

    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_RESPONSE });
    expect((error as Error).message).toContain('maxResponseBytes');
    expect(server.tokenRequests).toBe(1);
  });

  it('the body bound is configurable (maxResponseBytes)', async () => {
    const { tokens, server, clock } = await startWeirKit({ auth: { maxResponseBytes: 1024 } });
    server.fail({ kind: 'oversized', bytes: 1025 });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: WeirAuthErrorCode.INVALID_RESPONSE,
    });

    // An answer of 1,000 bytes fits (once the hold after a failure has passed).
    clock.advance(60_000);
    server.fail({ kind: 'oversized', bytes: 1000 });
    await expect(tokens.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(server.tokenRequests).toBe(2);
  });

  it('a hung connection → TIMEOUT after requestTimeoutMs, shared by every waiting caller', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { requestTimeoutMs: 300, retry: { attempts: 1 } },
    });
    server.fail({ kind: 'hang' });

    const errors = await Promise.all(
      Array.from({ length: 50 }, () => rejectionOf(tokens.getAccessToken())),
    );

    expect(server.tokenRequests).toBe(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(WeirAuthError);
      expect(error).toMatchObject({ code: WeirAuthErrorCode.TIMEOUT });
    }
  });

  it('an answer slower than requestTimeoutMs → TIMEOUT', async () => {
    const { tokens, server } = await startWeirKit({
      auth: { requestTimeoutMs: 200, retry: { attempts: 1 } },
      server: { latencyMs: 3_000 },
    });

    await expect(tokens.getAccessToken()).rejects.toMatchObject({
      code: WeirAuthErrorCode.TIMEOUT,
    });
    expect(server.tokenRequests).toBe(1);
  });

  it('a hung connection is retried like any time-out', async () => {
    const { tokens, server } = await startWeirKit({ auth: { requestTimeoutMs: 200 } });
    server.fail({ kind: 'hang' });

    await expect(tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(server.tokenRequests).toBe(2);
  });
});
