import { HttpModule, HttpService } from '@nestjs/axios';
import axios, { type AxiosRequestHeaders } from 'axios';
import { WeirAuthError, WeirAuthErrorCode, WeirHttpService } from 'nestjs-weir-auth';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { alwaysUnauthorized, RecordingServer } from './support/recording-server.js';
import { rejection } from './support/rejection.js';
import { startWeirHttpFixture, type WeirHttpFixture } from './support/weir-http-fixture.js';

/** The `Authorization` headers the fake Weir API received on its protected routes. */
function protectedAuthorizations(fixture: WeirHttpFixture): Array<string | undefined> {
  return fixture.weir.requests
    .filter((request) => request.path.startsWith('/v1/'))
    .map((request) => request.headers.authorization);
}

describe('WeirHttpService', () => {
  let fixture: WeirHttpFixture;
  let other: RecordingServer;
  let http: WeirHttpService;

  beforeEach(async () => {
    other = await RecordingServer.start();
    fixture = await startWeirHttpFixture();
    http = fixture.app.get(WeirHttpService);
  });

  afterEach(async () => {
    await fixture.close();
    await other.close();
  });

  it('sends the bearer token to the Weir API, with the Weir base URL as baseURL', async () => {
    const response = await firstValueFrom(http.get<{ ok: boolean }>('/v1/echo'));

    expect(response.data.ok).toBe(true);
    expect(http.axiosRef.defaults.baseURL).toBe(fixture.weir.url);
    expect(protectedAuthorizations(fixture)).toEqual([
      `Bearer ${await fixture.tokens.getAccessToken()}`,
    ]);
  });

  it('authenticates the base-URL and absolute-URL forms of a Weir request alike', async () => {
    const { url } = fixture.weir;
    const forms = ['/v1/echo', 'v1/echo', `${url}/v1/echo`, `${url.toUpperCase()}/v1/echo`];

    const statuses = [];
    for (const form of forms) statuses.push((await firstValueFrom(http.get(form))).status);

    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(fixture.weir.tokenRequests).toBe(1);
  });

  it('sends an absolute URL of another origin untouched, without waiting for a token', async () => {
    await firstValueFrom(http.get(`${other.url}/elsewhere`));

    expect(other.authorizations).toEqual([undefined]);
    expect(fixture.weir.tokenRequests).toBe(0);
  });

  it('never puts the token on a protocol-relative URL, whatever host it names', async () => {
    const hosts = [other.url, fixture.weir.url].map((url) => url.replace(/^http:/, ''));
    const sentAuthorizations: unknown[] = [];
    // Runs after the interceptors, on the headers the adapter is handed.
    const transformRequest = (data: unknown, headers: AxiosRequestHeaders): unknown => {
      sentAuthorizations.push(headers.get('Authorization'));
      return data;
    };

    for (const host of hosts) {
      const error: unknown = await firstValueFrom(
        http.get(`${host}/v1/echo`, { transformRequest }),
      ).catch((e: unknown) => e);
      // Node has no page origin to resolve it against, so its adapter refuses the URL.
      expect(error).toMatchObject({ code: 'ERR_INVALID_URL' });
    }

    expect(sentAuthorizations).toEqual([undefined, undefined]);
    expect(fixture.weir.tokenRequests).toBe(0);
    expect(other.requests).toEqual([]);
  });

  it('with allowAbsoluteUrls: false, appends an absolute URL to the base URL as axios does', async () => {
    await rejection(firstValueFrom(http.get(`${other.url}/v1/echo`, { allowAbsoluteUrls: false })));

    expect(other.requests).toEqual([]);
    const [request] = fixture.weir.requests.filter((r) => r.path.includes('/http:'));
    expect(request?.headers.authorization).toBe(`Bearer ${await fixture.tokens.getAccessToken()}`);
  });

  it("leaves a caller's own Authorization header alone, and a 401 to it is the caller's", async () => {
    const error = await rejection(
      firstValueFrom(http.get('/v1/echo', { headers: { Authorization: 'Bearer callers-own' } })),
    );

    expect(error.response?.status).toBe(401);
    expect(protectedAuthorizations(fixture)).toEqual(['Bearer callers-own']);
    expect(fixture.weir.tokenRequests).toBe(0);
  });

  it('meets a 401 with one token request and one retry', async () => {
    await firstValueFrom(http.get('/v1/echo'));
    const revoked = await fixture.tokens.getAccessToken();
    fixture.weir.revoke(revoked);

    const response = await firstValueFrom(http.get('/v1/echo'));

    const fresh = await fixture.tokens.getAccessToken();
    expect(response.status).toBe(200);
    expect(fresh).not.toBe(revoked);
    expect(fixture.weir.tokenRequests).toBe(2);
    expect(protectedAuthorizations(fixture)).toEqual([
      `Bearer ${revoked}`,
      `Bearer ${revoked}`,
      `Bearer ${fresh}`,
    ]);
  });

  it('meets 50 concurrent 401s with a single token request', async () => {
    await firstValueFrom(http.get('/v1/echo'));
    fixture.weir.revoke();

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => firstValueFrom(http.get('/v1/echo'))),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(fixture.weir.tokenRequests).toBe(2);
    expect(fixture.weir.protectedRequests).toBe(1 + 50 + 50);
  });

  it('surfaces token failures as WeirAuthError with its code, not as an axios error', async () => {
    await fixture.close();
    fixture = await startWeirHttpFixture({ secretKey: 'not-the-secret' });
    http = fixture.app.get(WeirHttpService);

    const error: unknown = await firstValueFrom(http.get('/v1/echo')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_CREDENTIALS, status: 401 });
    expect(inspect(error)).not.toContain('not-the-secret');
    expect(protectedAuthorizations(fixture)).toEqual([]);
  });

  it('surfaces a failed refresh after a 401 as WeirAuthError, not as the 401', async () => {
    await firstValueFrom(http.get('/v1/echo'));
    fixture.weir.revoke();
    fixture.weir.setCredentials('rotated-client', 'rotated-secret');

    const error: unknown = await firstValueFrom(http.get('/v1/echo')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WeirAuthError);
    expect(error).toMatchObject({ code: WeirAuthErrorCode.INVALID_CREDENTIALS });
    expect(fixture.weir.protectedRequests).toBe(2);
  });

  it('uses an axios instance of its own: a bare HttpModule and global axios get no token', async () => {
    await fixture.close();
    fixture = await startWeirHttpFixture({}, [HttpModule]);
    http = fixture.app.get(WeirHttpService);
    const bare = fixture.app.get(HttpService);
    await firstValueFrom(http.get('/v1/echo'));

    const fromBare = await rejection(firstValueFrom(bare.get(`${fixture.weir.url}/v1/echo`)));
    const fromGlobal = await rejection(axios.get(`${fixture.weir.url}/v1/echo`));

    expect(http.axiosRef).not.toBe(axios);
    expect(bare).not.toBe(http);
    expect([fromBare.response?.status, fromGlobal.response?.status]).toEqual([401, 401]);
    expect(protectedAuthorizations(fixture).slice(1)).toEqual([undefined, undefined]);
  });

  it('returns a second 401 to the caller: exactly two attempts, no loop', async () => {
    const refusing = await RecordingServer.start(alwaysUnauthorized);
    await fixture.close();
    fixture = await startWeirHttpFixture({ allowedOrigins: [refusing.url] });
    http = fixture.app.get(WeirHttpService);

    try {
      const error = await rejection(firstValueFrom(http.get(`${refusing.url}/v1/echo`)));

      expect(error.response?.status).toBe(401);
      expect(refusing.requests).toHaveLength(2);
      expect(fixture.weir.tokenRequests).toBe(2);
      const [first, second] = refusing.authorizations;
      expect(first).toMatch(/^Bearer \S+$/);
      expect(second).toMatch(/^Bearer \S+$/);
      expect(second).not.toBe(first);
    } finally {
      await refusing.close();
    }
  });
});
