import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  WeirAuthModule,
  WeirHttpService,
  WeirTokenService,
  type WeirAuthModuleOptions,
} from 'nestjs-weir-auth';

/** FakeWeirServer's default credentials. */
export const CLIENT_ID = 'test-client';
export const SECRET_KEY = 'test-secret';

/** A Nest application context as an app would build it, and the services the benchmarks call. */
export interface WeirBenchApp {
  readonly context: INestApplicationContext;
  readonly tokens: WeirTokenService;
  readonly weirHttp: WeirHttpService;
  close(): Promise<void>;
}

/** Starts `WeirAuthModule.forRoot(options)`, silent, with the fake's credentials. */
export async function startWeirApp(
  options: Partial<WeirAuthModuleOptions> & { baseUrl: string },
): Promise<WeirBenchApp> {
  // A module class per app: several apps in one process (the fleet) must not share providers.
  @Module({
    imports: [
      WeirAuthModule.forRoot({
        clientId: CLIENT_ID,
        secretKey: SECRET_KEY,
        logger: false,
        ...options,
      }),
    ],
  })
  class BenchAppModule {}

  const context = await NestFactory.createApplicationContext(BenchAppModule, { logger: false });
  return {
    context,
    tokens: context.get(WeirTokenService),
    weirHttp: context.get(WeirHttpService),
    close: () => context.close(),
  };
}
