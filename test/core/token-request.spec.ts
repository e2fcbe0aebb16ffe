import axios from 'axios';
import { WeirAuthError, WeirAuthErrorCode } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import {
  BASIC_CREDENTIALS,
  CLIENT_ID,
  rejectionOf,
  SECRET_KEY,
  startWeirKit,
  useCoreSuite,
} from './support/weir-test-kit.js';

useCoreSuite();

/** A vendor success envelope around `data`. */
function success(data: Record<string, unknown>) {
  return { data, message: 'Access token generated successfully', status: 'success' };
}

describe('the token request', () => {
  it('is exactly POST {baseUrl}/auth/token with Basic credentials, JSON content type and no body', async () => {
    const { tokens, server } = await startWeirKit();

    await tokens.getAccessToken();

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/auth/token');
    expect(request.headers.authorization).toBe(`Basic ${BASIC_CREDENTIALS}`);
    expect(Buffer.from(BASIC_CREDENTIALS, 'base64').toString()).toBe(`${CLIENT_ID}:${SECRET_KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    // No body: nothing announced, nothing chunked.
    expect(request.headers['content-length'] ?? '0').toBe('0');
    expect(request.headers['transfer-encoding']).toBeUndefined();
  });

  it('joins the base URL and the path without doubling the slash', async () => {
    const { tokens, server } = await startWeirKit({
      auth: (fake) => ({ baseUrl: `${fake.url}/` }),
    });
    await tokens.getAccessToken();
    expect(server.requests.map((r) => r.path)).toEqual(['/auth/token']);
  });

  it('uses an axios instance of its own: interceptors on the global axios default see nothing', async () => {
    const seenRequests: string[] = [];
    const seenResponses: string[] = [];
    const requestId = axios.interceptors.request.use((config) => {
      seenRequests.push(String(config.url));
      return config;
    });
    const responseId = axios.interceptors.response.use((response) => {
      seenResponses.push(String(response.config.url));
      return response;
    });
    try {
      const { tokens, server } = await startWeirKit();
      server.fail({ kind: 'status', status: 503 });
      await tokens.getAccessToken();
      tokens.invalidate();
      await tokens.getAccessToken();
      expect(server.tokenRequests).toBe(3);
    } finally {
      axios.interceptors.request.eject(requestId);
      axios.interceptors.response.eject(responseId);
    }
    expect(seenRequests).toEqual([]);
    expect(seenResponses).toEqual([]);
  });

  it('does not follow a redirect, so the credentials never reach another host', async () => {
    const elsewhere = await FakeWeirServer.start();
    try {
      const { tokens, server } = await startWeirKit();
      server.fail({
        kind: 'status',
        status: 307,
        body: '',
        headers: { location: `${elsewhere.url}/auth/token` },
      });

      const error = await rejectionOf(tokens.getAccessToken());

      expect(error).toBeInstanceOf(WeirAuthError);
      expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_RESPONSE, status: 307 });
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  describe('the answer', () => {
    it('gives the token, its type and its lifetime', async () => {
      const { tokens, server, clock } = await startWeirKit({ server: { expiresIn: 1800 } });
      const sentAt = clock.wallNow();

      const token = await tokens.getToken();

      expect(token.accessToken).toMatch(/^ey/);
      expect(token.tokenType).toBe('Bearer');
      expect(token.expiresIn).toBe(1800);
      expect(token.expiresAt).toEqual(new Date(sentAt + 1_800_000));
      expect(server.issuedTokens).toBe(1);
    });

    it.each(['bearer', 'BEARER', 'bEaReR'])(
      'accepts tokenType %j (any case)',
      async (tokenType) => {
        const { tokens, server } = await startWeirKit();
        server.fail({
          kind: 'body',
          body: success({ accessToken: 'opaque-token-1', expiresIn: 60, tokenType }),
        });

        const token = await tokens.getToken();

        expect(token).toMatchObject({ accessToken: 'opaque-token-1', tokenType, expiresIn: 60 });
      },
    );

    it('accepts a fractional expiresIn', async () => {
      const { tokens, server } = await startWeirKit();
      server.fail({
        kind: 'body',
        body: success({ accessToken: 'opaque-token-2', expiresIn: 90.5, tokenType: 'Bearer' }),
      });

      await expect(tokens.getToken()).resolves.toMatchObject({ expiresIn: 90.5 });
    });
  });
});
