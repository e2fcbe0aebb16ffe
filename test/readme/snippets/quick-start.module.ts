import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { WeirAuthModule } from 'nestjs-weir-auth';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    WeirAuthModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        clientId: config.getOrThrow('WEIR_CLIENT_ID'),
        secretKey: config.getOrThrow('WEIR_SECRET_KEY'),
        environment: config.get('WEIR_ENVIRONMENT'),
        baseUrl: config.get('WEIR_API_URL'),
      }),
    }),
  ],
})
export class AppModule {}
