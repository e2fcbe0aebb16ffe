import type { ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { WeirAuthModule, WeirTokenService, type WeirAuthModuleOptions } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';

export const CLIENT_ID = 'http-spec-client';
export const SECRET_KEY = 'http-spec-secret-5f1c9a';
/** What the token request's `Authorization` carries: must never show up anywhere else either. */
export const BASIC_SECRET = Buffer.from(`${CLIENT_ID}:${SECRET_KEY}`).toString('base64');

/** The fake Weir API and a Nest app whose `WeirAuthModule` points at it. */
export interface WeirHttpFixture {
  readonly weir: FakeWeirServer;
  readonly app: TestingModule;
  readonly tokens: WeirTokenService;
  close(): Promise<void>;
}

/**
 * Starts a `FakeWeirServer` and an app importing `WeirAuthModule.forRoot()` for it, plus
 * `imports`. The app is closed before the server, so nothing is left running.
 */
export async function startWeirHttpFixture(
  options: Partial<WeirAuthModuleOptions> = {},
  imports: NonNullable<ModuleMetadata['imports']> = [],
): Promise<WeirHttpFixture> {
  const weir = await FakeWeirServer.start({ clientId: CLIENT_ID, secretKey: SECRET_KEY });
  const app = await Test.createTestingModule({
    imports: [
      WeirAuthModule.forRoot({
        clientId: CLIENT_ID,
        secretKey: SECRET_KEY,
        baseUrl: weir.url,
        logger: false,
        ...options,
      }),
      ...imports,
    ],
  }).compile();
  await app.init();
  return {
    weir,
    app,
    tokens: app.get(WeirTokenService),
    close: async () => {
      await app.close();
      await weir.close();
    },
  };
}
