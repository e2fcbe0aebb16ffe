'use strict';
// The scenario both compatibility apps run, copied into each as scenario.cjs. CommonJS, so that
// the Nest 11 app's jest (CommonJS mode) can require it and the Nest 12 app can import it; every
// package is handed in by the app, loaded its own way (import or require).
const assert = require('node:assert/strict');

/**
 * Boots a Nest application context with WeirAuthModule.forRootAsync fed by ConfigService from
 * the environment (WEIR_CLIENT_ID, WEIR_SECRET_KEY, WEIR_API_URL), against FakeWeirServer:
 * gets a token, calls the fake's protected GET /v1/echo through WeirHttpService, and answers a
 * Terminus health check with WeirAuthHealthIndicator.
 *
 * @param {object} deps
 * @param {object} deps.common @nestjs/common
 * @param {object} deps.core @nestjs/core
 * @param {object} deps.config @nestjs/config
 * @param {object} deps.terminus @nestjs/terminus
 * @param {object} deps.rxjs rxjs
 * @param {object} deps.weirAuth nestjs-weir-auth
 * @param {object} deps.testing nestjs-weir-auth/testing
 */
module.exports = async function runScenario({
  common,
  core,
  config,
  terminus,
  rxjs,
  weirAuth,
  testing,
}) {
  const { FakeWeirServer } = testing;
  const { WeirAuthModule, WeirTokenService, WeirHttpService, WeirAuthHealthIndicator } = weirAuth;

  const weir = await FakeWeirServer.start({
    clientId: 'compat-client',
    secretKey: 'compat-secret',
  });
  process.env.WEIR_CLIENT_ID = 'compat-client';
  process.env.WEIR_SECRET_KEY = 'compat-secret';
  process.env.WEIR_API_URL = weir.url;

  class AppModule {}
  common.Module({
    imports: [
      config.ConfigModule.forRoot({ ignoreEnvFile: true }),
      WeirAuthModule.forRootAsync({
        imports: [config.ConfigModule],
        inject: [config.ConfigService],
        useFactory: (configService) => ({
          clientId: configService.getOrThrow('WEIR_CLIENT_ID'),
          secretKey: configService.getOrThrow('WEIR_SECRET_KEY'),
          baseUrl: configService.getOrThrow('WEIR_API_URL'),
        }),
      }),
      terminus.TerminusModule,
    ],
  })(AppModule);

  const app = await core.NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    const accessToken = await app.get(WeirTokenService).getAccessToken();
    assert.equal(typeof accessToken, 'string');
    assert.equal(weir.issuedTokens, 1);

    const response = await rxjs.firstValueFrom(app.get(WeirHttpService).get('/v1/echo'));
    assert.equal(response.status, 200);
    assert.deepEqual(
      { ok: response.data.ok, path: response.data.path, method: response.data.method },
      { ok: true, path: '/v1/echo', method: 'GET' },
    );
    const echo = weir.requests.filter((request) => request.path === '/v1/echo');
    assert.deepEqual(
      echo.map((request) => request.headers.authorization),
      [`Bearer ${accessToken}`],
    );
    assert.equal(weir.issuedTokens, 1, 'the call reused the cached token');

    const indicator = app.get(WeirAuthHealthIndicator);
    const health = await app.get(terminus.HealthCheckService).check([() => indicator.isHealthy()]);
    assert.equal(health.status, 'ok');
    assert.equal(health.info['weir-auth'].status, 'up');
    return { accessToken, echo: response.data, health };
  } finally {
    await app.close();
    await weir.close();
  }
};
