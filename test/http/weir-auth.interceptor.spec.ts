import { HttpModule, HttpService } from '@nestjs/axios';
import axios, { type AxiosRequestConfig } from 'axios';
import { WeirAuthInterceptor, WeirHttpService } from 'nestjs-weir-auth';
import { firstValueFrom } from 'rxjs';
import { RecordingServer, redirecting } from './support/recording-server.js';
import { startWeirHttpFixture, type WeirHttpFixture } from './support/weir-http-fixture.js';

const BEARER = /^Bearer \S+$/;

describe('WeirAuthInterceptor', () => {
  let fixture: WeirHttpFixture;
  let other: RecordingServer;
  let interceptor: WeirAuthInterceptor;
  let service: HttpService;

  beforeEach(async () => {
    other = await RecordingServer.start();
    fixture = await startWeirHttpFixture({}, [HttpModule.register({})]);
    interceptor = fixture.app.get(WeirAuthInterceptor);
    service = fixture.app.get(HttpService);
  });

  afterEach(async () => {
    await fixture.close();
    await other.close();
  });

  function echoAuthorizations(): Array<string | undefined> {
    return fixture.weir.requests
      .filter((request) => request.path === '/v1/echo')
      .map((request) => request.headers.authorization);
  }

  it("gives an app's HttpService the token for the Weir origin only", async () => {
    interceptor.attach(service);

    const weir = await firstValueFrom(service.get(`${fixture.weir.url}/v1/echo`));
    await firstValueFrom(service.get(`${other.url}/elsewhere`));

    expect(weir.status).toBe(200);
    expect(echoAuthorizations()).toEqual([`Bearer ${await fixture.tokens.getAccessToken()}`]);
    expect(other.authorizations).toEqual([undefined]);
  });

  it('gives a bare axios instance the same behaviour', async () => {
    const instance = axios.create({ baseURL: fixture.weir.url });
    interceptor.attach(instance);

    const response = await instance.get('/v1/echo');
    await instance.get(`${other.url}/elsewhere`);

    expect(response.status).toBe(200);
    expect(echoAuthorizations()).toEqual([expect.stringMatching(BEARER)]);
    expect(other.authorizations).toEqual([undefined]);
  });

  it('detaches: afterwards the requests go out as they were', async () => {
    const detach = interceptor.attach(service);
    await firstValueFrom(service.get(`${fixture.weir.url}/v1/echo`));

    detach();
    detach();
    const error: unknown = await firstValueFrom(service.get(`${fixture.weir.url}/v1/echo`)).catch(
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ response: { status: 401 } });
    expect(echoAuthorizations()).toEqual([expect.stringMatching(BEARER), undefined]);
  });

  it('attaching twice, through the service or its axios instance, changes nothing', async () => {
    const handlersBefore = activeHandlers(service);
    const detach = interceptor.attach(service);

    expect(interceptor.attach(service)).toBe(detach);
    expect(interceptor.attach(service.axiosRef)).toBe(detach);
    expect(activeHandlers(service)).toEqual({
      request: handlersBefore.request + 1,
      response: handlersBefore.response + 1,
    });
    await firstValueFrom(service.get(`${fixture.weir.url}/v1/echo`));
    expect(echoAuthorizations()).toEqual([expect.stringMatching(BEARER)]);

    detach();
    expect(activeHandlers(service)).toEqual(handlersBefore);
    expect(interceptor.attach(service)).not.toBe(detach);
  });

  describe('redirects (from an allowed gateway origin)', () => {
    let gateway: RecordingServer;
    let http: WeirHttpService;

    beforeEach(async () => {
      gateway = await RecordingServer.start(redirecting);
      await fixture.close();
      fixture = await startWeirHttpFixture({ allowedOrigins: [gateway.url] });
      http = fixture.app.get(WeirHttpService);
    });

    afterEach(() => gateway.close());

    function via(target: string, config?: AxiosRequestConfig): Promise<unknown> {
      return firstValueFrom(
        http.get(`${gateway.url}/start?to=${encodeURIComponent(target)}`, config),
      );
    }

    it('a redirect to another origin does not carry the token', async () => {
      await via(`${other.url}/landing`);

      expect(gateway.authorizations).toEqual([expect.stringMatching(BEARER)]);
      expect(other.requests.map((request) => request.path)).toEqual(['/landing']);
      expect(other.authorizations).toEqual([undefined]);
    });

    it('a redirect within the origin keeps it', async () => {
      await via(`${gateway.url}/landing`);

      const [first, second] = gateway.authorizations;
      expect(first).toMatch(BEARER);
      expect(second).toBe(first);
    });

    it("strips it even after the caller's own beforeRedirect has put it back", async () => {
      const beforeRedirect = jest.fn<
        void,
        Parameters<NonNullable<AxiosRequestConfig['beforeRedirect']>>
      >((options, _response, request) => {
        // What a careless hook might do: carry every header of the previous hop over.
        options.headers.Authorization = request.headers.Authorization;
      });

      await via(`${other.url}/landing`, { beforeRedirect });

      expect(beforeRedirect).toHaveBeenCalledTimes(1);
      expect(beforeRedirect.mock.calls[0]?.[2].headers.Authorization).toMatch(BEARER);
      expect(other.authorizations).toEqual([undefined]);
    });

    it("calls the caller's own beforeRedirect on a same-origin redirect, token kept", async () => {
      const beforeRedirect = jest.fn();

      await via(`${gateway.url}/landing`, { beforeRedirect });

      expect(beforeRedirect).toHaveBeenCalledTimes(1);
      expect(gateway.authorizations[1]).toMatch(BEARER);
    });
  });
});

/** Interceptors in use on the service's axios instance (ejected ones leave a null behind). */
function activeHandlers(service: HttpService): { request: number; response: number } {
  const { request, response } = service.axiosRef.interceptors;
  return {
    request: (request.handlers ?? []).filter(Boolean).length,
    response: (response.handlers ?? []).filter(Boolean).length,
  };
}
