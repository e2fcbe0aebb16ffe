import { Test, type TestingModule } from '@nestjs/testing';
import { WeirAuthModule, WeirTokenService } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';

describe('my service against a fake Weir API', () => {
  let weir: FakeWeirServer;
  let app: TestingModule;

  beforeAll(async () => {
    weir = await FakeWeirServer.start({ clientId: 'id', secretKey: 'secret', expiresIn: 60 });
    const moduleRef = await Test.createTestingModule({
      imports: [WeirAuthModule.forRoot({ clientId: 'id', secretKey: 'secret', baseUrl: weir.url })],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app.close();
    await weir.close();
  });

  it('shares one token request between concurrent callers', async () => {
    const tokens = app.get(WeirTokenService);
    await Promise.all([tokens.getAccessToken(), tokens.getAccessToken()]);
    expect(weir.tokenRequests).toBe(1);
  });

  it('surfaces the vendor error code', async () => {
    weir.fail({ kind: 'rate-limit', retryAfterSeconds: 30 });
    await expect(app.get(WeirTokenService).refresh()).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
    });
  });
});
