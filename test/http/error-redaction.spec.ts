import type { AxiosError } from 'axios';
import { WeirHttpService } from 'nestjs-weir-auth';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { alwaysUnauthorized, RecordingServer } from './support/recording-server.js';
import { rejection } from './support/rejection.js';
import {
  BASIC_SECRET,
  SECRET_KEY,
  startWeirHttpFixture,
  type WeirHttpFixture,
} from './support/weir-http-fixture.js';

/** Every way an error commonly ends up in a log, by name. */
function views(error: AxiosError): Record<string, string> {
  const everything = { depth: Infinity };
  return {
    'util.inspect(err)': inspect(error),
    'util.inspect(err, { depth: Infinity })': inspect(error, everything),
    'JSON.stringify(err)': JSON.stringify(error),
    'err.toJSON()': JSON.stringify(error.toJSON()),
    'err.message': error.message,
    'err.stack': String(error.stack),
    'err.config': inspect(error.config, everything),
    'err.request': inspect(error.request, everything),
    'err.request._header': String(error.request?._header),
    'err.response': inspect(error.response, everything),
  };
}

/** `[view, secret]` pairs where a secret shows. */
function leaks(error: AxiosError, secrets: Record<string, string>): string[] {
  return Object.entries(views(error)).flatMap(([view, text]) =>
    Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => `${view} shows ${name}`),
  );
}

describe('errors of authenticated requests', () => {
  let fixture: WeirHttpFixture;
  let refusing: RecordingServer;
  let http: WeirHttpService;

  beforeEach(async () => {
    refusing = await RecordingServer.start(alwaysUnauthorized);
    fixture = await startWeirHttpFixture({ allowedOrigins: [refusing.url] });
    http = fixture.app.get(WeirHttpService);
  });

  afterEach(async () => {
    await fixture.close();
    await refusing.close();
  });

  it('hold neither token nor secret after a second 401', async () => {
    const error = await rejection(firstValueFrom(http.get(`${refusing.url}/v1/echo`)));

    const [first, second] = refusing.authorizations.map((header) =>
      header?.slice('Bearer '.length),
    );
    expect(error.response?.status).toBe(401);
    expect(
      leaks(error, {
        'the first token': first!,
        'the second token': second!,
        'the secret key': SECRET_KEY,
        'the Basic credentials': BASIC_SECRET,
      }),
    ).toEqual([]);
  });

  it('replace the credentials with [REDACTED] rather than drop them', async () => {
    const error = await rejection(firstValueFrom(http.get(`${refusing.url}/v1/echo`)));

    expect(error.config?.headers.get('Authorization')).toBe('Bearer [REDACTED]');
    expect(error.response?.config.headers.get('Authorization')).toBe('Bearer [REDACTED]');
    expect(error.request._header).toContain('Authorization: Bearer [REDACTED]\r\n');
    expect(error.request.getHeader('authorization')).toBe('Bearer [REDACTED]');
    expect(error.request._redirectable._options.headers.Authorization).toBe('Bearer [REDACTED]');
    expect(error.toJSON()).toMatchObject({
      config: { headers: { Authorization: 'Bearer [REDACTED]' } },
    });
    // The error still says what happened.
    expect(error.request.path).toBe('/v1/echo');
    expect(error.message).toBe('Request failed with status code 401');
  });

  it('hold no token when the Weir API answers an error other than 401', async () => {
    await fixture.close();
    fixture = await startWeirHttpFixture();
    http = fixture.app.get(WeirHttpService);

    const error = await rejection(firstValueFrom(http.get('/no-such-route')));

    expect(error.response?.status).toBe(404);
    const token = await fixture.tokens.getAccessToken();
    expect(leaks(error, { 'the token': token, 'the Basic credentials': BASIC_SECRET })).toEqual([]);
  });

  it('hold no token when the connection is refused before a response', async () => {
    const gone = await RecordingServer.start();
    await gone.close();
    await fixture.close();
    fixture = await startWeirHttpFixture({ allowedOrigins: [gone.url] });
    http = fixture.app.get(WeirHttpService);

    const error = await rejection(firstValueFrom(http.get(`${gone.url}/v1/echo`)));

    expect(error.code).toBe('ECONNREFUSED');
    const token = await fixture.tokens.getAccessToken();
    expect(leaks(error, { 'the token': token })).toEqual([]);
    expect(error.config?.headers.get('Authorization')).toBe('Bearer [REDACTED]');
  });
});
