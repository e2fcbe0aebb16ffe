import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { WeirTokenService } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { describeWithRedisServer, RedisServer } from '../support/redis-server';
import { FleetAppModule } from './snippets/fleet.module';

describeWithRedisServer('README "Running many instances" snippet, booted', () => {
  let redis: RedisServer;
  let weir: FakeWeirServer;
  const apps: TestingModule[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    weir = await FakeWeirServer.start({ clientId: 'fleet-id', secretKey: 'fleet-secret' });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await weir?.close();
    await redis?.stop();
  });

  it('three instances share one token request', async () => {
    const env = {
      WEIR_CLIENT_ID: 'fleet-id',
      WEIR_SECRET_KEY: 'fleet-secret',
      WEIR_API_URL: weir.url,
      REDIS_URL: redis.url,
    };
    for (let i = 0; i < 3; i++) {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => env] }),
          FleetAppModule,
        ],
      })
        .setLogger({ log() {}, warn() {}, error() {} })
        .compile();
      apps.push(await moduleRef.init());
    }
    const tokens = await Promise.all(apps.map((app) => app.get(WeirTokenService).getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(weir.tokenRequests).toBe(1);
  });
});
