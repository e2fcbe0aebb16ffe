import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { WeirAuthModule } from 'nestjs-weir-auth';
import { validateEnvironment, type EnvironmentVariables } from './config/env.validation';
import { EmbeddedWeir } from './embedded-weir/embedded-weir';
import { EmbeddedWeirModule } from './embedded-weir/embedded-weir.module';
import { HealthModule } from './health/health.module';
import { WeirModule } from './weir/weir.module';

@Module({
  imports: [
    // The environment only (no .env file is read): `nest start --env-file .env` to use one.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
    WeirAuthModule.forRootAsync({
      isGlobal: true,
      imports: [EmbeddedWeirModule],
      inject: [ConfigService, EmbeddedWeir],
      useFactory: (config: ConfigService<EnvironmentVariables, true>, embedded: EmbeddedWeir) =>
        // Without credentials, the embedded fake's URL and credentials.
        embedded.moduleOptions() ?? {
          clientId: config.getOrThrow('WEIR_CLIENT_ID'),
          secretKey: config.getOrThrow('WEIR_SECRET_KEY'),
          environment: config.get('WEIR_ENVIRONMENT', { infer: true }),
          baseUrl: config.get('WEIR_API_URL', { infer: true }),
        },
    }),
    WeirModule,
    HealthModule,
  ],
})
export class AppModule {}
