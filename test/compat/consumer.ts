// Type-checked only (tsc --noEmit, module nodenext), in each app: against the ESM .d.ts (dist/esm)
// as a Nest 12 app sees them, and the CommonJS .d.ts (dist/cjs) as a Nest 11 app with TypeScript 5 does.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HealthCheckService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import { firstValueFrom } from 'rxjs';
import {
  WeirAuthError,
  WeirAuthErrorCode,
  WeirAuthHealthIndicator,
  WeirAuthModule,
  WeirHttpService,
  WeirTokenService,
  type WeirAuthModuleOptions,
} from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';

@Injectable()
export class WeirEcho {
  constructor(
    private readonly health: HealthCheckService,
    private readonly weirAuth: WeirAuthHealthIndicator,
    private readonly weir: WeirHttpService,
    private readonly tokens: WeirTokenService,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.weirAuth.isHealthy()]);
  }

  async echo(): Promise<boolean> {
    const response = await firstValueFrom(this.weir.get<{ ok: boolean }>('/v1/echo'));
    return response.data.ok;
  }

  async token(): Promise<string> {
    try {
      return await this.tokens.getAccessToken();
    } catch (error) {
      if (error instanceof WeirAuthError && error.code === WeirAuthErrorCode.INVALID_CREDENTIALS) {
        return 'refused';
      }
      throw error;
    }
  }
}

@Module({
  imports: [
    ConfigModule.forRoot(),
    WeirAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService): WeirAuthModuleOptions => ({
        clientId: config.getOrThrow<string>('WEIR_CLIENT_ID'),
        secretKey: config.getOrThrow<string>('WEIR_SECRET_KEY'),
        baseUrl: config.getOrThrow<string>('WEIR_API_URL'),
      }),
    }),
    TerminusModule,
  ],
  providers: [WeirEcho],
})
export class AppModule {}

export async function fakeUrl(): Promise<string> {
  const weir = await FakeWeirServer.start();
  await weir.close();
  return weir.url;
}
