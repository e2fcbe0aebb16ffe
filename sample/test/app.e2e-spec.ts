// First: the sample's defaults (the embedded fake Weir API), whatever the shell's environment.
import './support/sample-environment';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WeirTokenService } from 'nestjs-weir-auth';
import type { FakeWeirServer } from 'nestjs-weir-auth/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import { AppModule } from '../src/app.module';
import { EmbeddedWeir } from '../src/embedded-weir/embedded-weir';

async function startApp(): Promise<{ app: INestApplication<App>; fake: FakeWeirServer }> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication<INestApplication<App>>({ logger: false });
  await app.init();
  const fake = app.get(EmbeddedWeir).server;
  if (!fake) throw new Error('the embedded FakeWeirServer should run without WEIR_CLIENT_ID');
  return { app, fake };
}

describe('sample app on the embedded fake Weir API', () => {
  let app: INestApplication<App>;
  let fake: FakeWeirServer;

  beforeAll(async () => {
    ({ app, fake } = await startApp());
  });

  afterAll(async () => {
    await app?.close();
  });

  it('GET /health answers 200 with the weir-auth indicator up', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);

    expect(response.body).toMatchObject({
      status: 'ok',
      info: { 'weir-auth': { status: 'up', expiresInSeconds: expect.any(Number) } },
    });
  });

  it('GET /weir/token shows the token status, never the token', async () => {
    const response = await request(app.getHttpServer()).get('/weir/token').expect(200);
    const token = await app.get(WeirTokenService).getAccessToken();

    expect(response.body).toEqual({
      api: { environment: 'embedded', baseUrl: fake.url },
      tokenType: 'Bearer',
      expiresAt: expect.any(String),
      expiresInSeconds: expect.any(Number),
      obtainedAt: expect.any(String),
      consecutiveFailures: 0,
    });
    expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(response.text).not.toContain(token);
  });

  it('GET /weir/echo calls the fake through WeirHttpService, and the bearer token reaches it', async () => {
    fake.resetCounters();

    const response = await request(app.getHttpServer()).get('/weir/echo').expect(200);

    expect(response.body).toMatchObject({
      request: 'GET /v1/echo',
      authorization: 'Bearer [REDACTED]',
      status: 200,
      body: { ok: true, path: '/v1/echo', method: 'GET' },
    });
    const token = await app.get(WeirTokenService).getAccessToken();
    const received = fake.requests.filter((r) => r.path === '/v1/echo');
    expect(received.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
    expect(response.text).not.toContain(token);
  });

  it('GET /weir/echo still answers after the fake revokes the token (one renewal, one retry)', async () => {
    const revoked = await app.get(WeirTokenService).getAccessToken();
    fake.revoke();

    const response = await request(app.getHttpServer()).get('/weir/echo').expect(200);

    expect(response.body).toMatchObject({ status: 200, body: { ok: true } });
    expect(await app.get(WeirTokenService).getAccessToken()).not.toBe(revoked);
  });
});

describe('sample app when Weir refuses the credentials', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    let fake: FakeWeirServer;
    ({ app, fake } = await startApp());
    // A rotation the app has not heard of: every token request is now refused.
    fake.setCredentials('someone-else', 'another-secret');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('GET /weir/token answers 503 with the error code', async () => {
    const response = await request(app.getHttpServer()).get('/weir/token').expect(503);

    expect(response.body).toMatchObject({ statusCode: 503, code: 'INVALID_CREDENTIALS' });
  });

  it('GET /health answers 503 with the weir-auth indicator down', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(503);

    expect(response.body).toMatchObject({
      status: 'error',
      error: { 'weir-auth': { status: 'down', code: 'INVALID_CREDENTIALS' } },
    });
  });
});

describe('sample app shutdown', () => {
  it('closes the embedded fake Weir API', async () => {
    const { app, fake } = await startApp();
    const url = `${fake.url}/v1/echo`;
    expect((await fetch(url)).status).toBe(401);

    await app.close();

    await expect(fetch(url)).rejects.toThrow();
  });
});
