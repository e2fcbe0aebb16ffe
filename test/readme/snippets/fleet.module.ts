import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { WeirAuthModule } from 'nestjs-weir-auth';
import { RedisTokenStore } from 'nestjs-weir-auth/redis';

@Module({
  imports: [
    WeirAuthModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        clientId: config.getOrThrow('WEIR_CLIENT_ID'),
        secretKey: config.getOrThrow('WEIR_SECRET_KEY'),
        baseUrl: config.get('WEIR_API_URL'),
        store: new RedisTokenStore(
          new Redis(config.getOrThrow('REDIS_URL'), {
            commandTimeout: 500, // below storeTimeoutMs (1 s)
            maxRetriesPerRequest: 1,
            connectTimeout: 2_000,
            retryStrategy: (times) => Math.min(times * 200, 2_000),
          }),
          { quitClientOnClose: true }, // the client is the store's alone
        ),
      }),
    }),
  ],
})
export class FleetAppModule {}
