import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  WeirAuthModule,
  WeirAuthOptionsError,
  WeirTokenService,
  type WeirAuthModuleOptions,
  type WeirAuthOptionsFactory,
} from 'nestjs-weir-auth';
import { inspect } from 'node:util';
import {
  CLIENT_ID,
  ManualClock,
  rejectionOf,
  SECRET_KEY,
  startWeirKit,
  useCoreSuite,
} from './support/weir-test-kit.js';

useCoreSuite();

/** Compiles an app importing `WeirAuthModule.forRoot(options)`; resolves the error if it fails. */
async function startupError(options: unknown): Promise<unknown> {
  return rejectionOf(
    Test.createTestingModule({
      imports: [WeirAuthModule.forRoot(options as WeirAuthModuleOptions)],
    })
      .compile()
      .then((app) => app.close()),
  );
}

const VALID = { clientId: CLIENT_ID, secretKey: SECRET_KEY, logger: false } as const;

describe('forRoot', () => {
  it('works with just the credentials, against the production host by default', async () => {
    const app = await Test.createTestingModule({
      imports: [WeirAuthModule.forRoot(VALID)],
    }).compile();
    try {
      expect(app.get(WeirTokenService).toJSON()).toMatchObject({ baseUrl: 'https://api.weir.ai' });
    } finally {
      await app.close();
    }
  });

  it('selects the development host with environment: development', async () => {
    const app = await Test.createTestingModule({
      imports: [WeirAuthModule.forRoot({ ...VALID, environment: 'development' })],
    }).compile();
    try {
      expect(app.get(WeirTokenService).toJSON()).toMatchObject({
        baseUrl: 'https://api-dev.weir.ai',
      });
    } finally {
      await app.close();
    }
  });
});

describe('forRootAsync', () => {
  const ENV = ['WEIR_CLIENT_ID', 'WEIR_SECRET_KEY', 'WEIR_ENVIRONMENT', 'WEIR_API_URL'] as const;
  const saved = new Map<string, string | undefined>();
  beforeEach(() => ENV.forEach((name) => saved.set(name, process.env[name])));
  afterEach(() =>
    saved.forEach((value, name) => {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }),
  );

  it('reads WEIR_CLIENT_ID, WEIR_SECRET_KEY, WEIR_ENVIRONMENT and WEIR_API_URL through ConfigService', async () => {
    const clock = new ManualClock();
    const kit = await startWeirKit({
      clock,
      imports: ({ baseUrl }) => {
        process.env.WEIR_CLIENT_ID = CLIENT_ID;
        process.env.WEIR_SECRET_KEY = SECRET_KEY;
        process.env.WEIR_ENVIRONMENT = 'development';
        process.env.WEIR_API_URL = baseUrl;
        return [
          WeirAuthModule.forRootAsync({
            imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({
              clientId: config.getOrThrow<string>('WEIR_CLIENT_ID'),
              secretKey: config.getOrThrow<string>('WEIR_SECRET_KEY'),
              environment: config.get<'production' | 'development'>('WEIR_ENVIRONMENT'),
              baseUrl: config.get<string>('WEIR_API_URL'),
              clock,
              logger: false,
            }),
          }),
        ];
      },
    });

    await expect(kit.tokens.getAccessToken()).resolves.toMatch(/^ey/);
    expect(kit.server.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET_KEY}`).toString('base64')}`,
    );
  });

  it('works with useClass', async () => {
    let url = '';
    @Injectable()
    class WeirConfig implements WeirAuthOptionsFactory {
      createWeirAuthOptions(): WeirAuthModuleOptions {
        return { ...VALID, baseUrl: url };
      }
    }
    const kit = await startWeirKit({
      imports: ({ baseUrl }) => {
        url = baseUrl!;
        return [WeirAuthModule.forRootAsync({ useClass: WeirConfig })];
      },
    });

    await expect(kit.tokens.getAccessToken()).resolves.toMatch(/^ey/);
  });

  it('validates what the factory returns', async () => {
    const error = await rejectionOf(
      Test.createTestingModule({
        imports: [
          WeirAuthModule.forRootAsync({
            useFactory: async () => ({ clientId: CLIENT_ID, secretKey: '' }),
          }),
        ],
      }).compile(),
    );
    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    expect((error as WeirAuthOptionsError).invalidKeys).toEqual(['secretKey']);
  });
});

describe('isGlobal', () => {
  @Injectable()
  class NeedsTokens {
    constructor(readonly tokens: WeirTokenService) {}
  }
  @Module({ providers: [NeedsTokens], exports: [NeedsTokens] })
  class FeatureModule {}

  it('makes WeirTokenService injectable in modules that do not import WeirAuthModule', async () => {
    const app = await Test.createTestingModule({
      imports: [WeirAuthModule.forRoot({ ...VALID, isGlobal: true }), FeatureModule],
    }).compile();
    try {
      expect(app.get(NeedsTokens).tokens).toBeInstanceOf(WeirTokenService);
    } finally {
      await app.close();
    }
  });

  it('also with forRootAsync', async () => {
    const app = await Test.createTestingModule({
      imports: [
        WeirAuthModule.forRootAsync({ isGlobal: true, useFactory: () => VALID }),
        FeatureModule,
      ],
    }).compile();
    try {
      expect(app.get(NeedsTokens).tokens).toBeInstanceOf(WeirTokenService);
    } finally {
      await app.close();
    }
  });

  it('is off by default', async () => {
    const error = await rejectionOf(
      Test.createTestingModule({
        imports: [WeirAuthModule.forRoot(VALID), FeatureModule],
      }).compile(),
    );
    expect(String(error)).toMatch(/WeirTokenService/);
  });
});

describe('start-up validation', () => {
  const SECRETISH = 'sk_value_that_must_not_be_printed';

  it('throws one WeirAuthOptionsError naming every bad key, and no value', async () => {
    const error = await startupError({
      clientId: '',
      secretKey: 12345,
      environment: SECRETISH,
      baseUrl: `http://${SECRETISH}.example.com`,
      allowedOrigins: [`ftp://${SECRETISH}`],
      requestTimeoutMs: -1,
      maxResponseBytes: 10,
      refreshAheadMs: 'soon',
      refreshAheadRatio: 2,
      keepFresh: 'yes',
      retry: { attempts: 0, baseDelayMs: -5 },
      rateLimits: [{ limit: 0, windowMs: 60_000 }],
      maxRateLimitWaitMs: 1.5,
      invalidCredentialsBackoffMs: -1,
      storeTimeoutMs: 0,
      [SECRETISH.toUpperCase()]: SECRETISH,
      store: { get: () => SECRETISH },
      clock: { now: SECRETISH },
      logger: { log: SECRETISH },
    });

    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    const { invalidKeys, message } = error as WeirAuthOptionsError;
    expect([...invalidKeys].sort()).toEqual(
      [
        'clientId',
        'secretKey',
        'environment',
        'baseUrl',
        'allowedOrigins',
        'requestTimeoutMs',
        'maxResponseBytes',
        'refreshAheadMs',
        'refreshAheadRatio',
        'keepFresh',
        'retry.attempts',
        'retry.baseDelayMs',
        'rateLimits.0.limit',
        'maxRateLimitWaitMs',
        'invalidCredentialsBackoffMs',
        'storeTimeoutMs',
        SECRETISH.toUpperCase(),
        'store',
        'clock',
        'logger',
      ].sort(),
    );
    for (const key of invalidKeys) expect(message).toContain(key);
    const printedError = [
      message,
      (error as Error).stack,
      inspect(error),
      JSON.stringify(error),
    ].join('\n');
    expect(printedError).not.toContain(SECRETISH);
    expect(printedError).not.toContain('12345');
  });

  it('never prints the secret key, even when it is the only bad value around', async () => {
    const error = await startupError({ clientId: SECRET_KEY.length, secretKey: SECRET_KEY });
    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    expect(inspect(error)).not.toContain(SECRET_KEY);
  });

  it('requires clientId and secretKey', async () => {
    const error = await startupError({});
    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    expect((error as WeirAuthOptionsError).invalidKeys).toEqual(
      expect.arrayContaining(['clientId', 'secretKey']),
    );
  });

  it.each([
    'http://api.weir.ai',
    'http://10.0.0.1:8080',
    'http://localhost.example.com',
    'ftp://api.weir.ai',
    'https://user:pass@api.weir.ai',
    'https://api.weir.ai/?token=x',
    'https://api.weir.ai/#x',
    'api.weir.ai',
    '',
  ])('refuses baseUrl %j', async (baseUrl) => {
    const error = await startupError({ ...VALID, baseUrl });
    expect(error).toBeInstanceOf(WeirAuthOptionsError);
    expect((error as WeirAuthOptionsError).invalidKeys).toEqual(['baseUrl']);
  });

  it.each([
    'https://api.weir.ai',
    'https://weir.internal.example:8443/prefix',
    'http://localhost:8080',
    'http://127.0.0.1:1234',
    'http://127.1.2.3',
    'http://[::1]:9000',
  ])('accepts baseUrl %j (plain http only for loopback)', async (baseUrl) => {
    const app = await Test.createTestingModule({
      imports: [WeirAuthModule.forRoot({ ...VALID, baseUrl })],
    }).compile();
    await app.close();
  });
});
