import { HealthIndicatorService } from '@nestjs/terminus';
import { WeirAuthErrorCode } from '../../lib/errors/weir-auth-error-code.js';
import { WeirAuthError } from '../../lib/errors/weir-auth.error.js';
import { createIndicator, tokenFor } from './health-test-kit.js';

const serverError = () =>
  new WeirAuthError({
    code: WeirAuthErrorCode.SERVER_ERROR,
    message: 'Weir answered 500',
    status: 500,
  });

describe('WeirAuthHealthIndicator', () => {
  describe('with a valid token cached', () => {
    it('is up with the token facts, without asking for a token', async () => {
      const { indicator, tokens, clock } = createIndicator();
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 3_599_500),
        obtainedAt: new Date(clock.wall - 500),
        consecutiveFailures: 0,
      };

      await expect(indicator.isHealthy()).resolves.toEqual({
        'weir-auth': {
          status: 'up',
          environment: 'development',
          expiresInSeconds: 3599,
          expiresAt: '2030-01-01T00:59:59.500Z',
          obtainedAt: '2029-12-31T23:59:59.500Z',
        },
      });
      expect(tokens.getToken).not.toHaveBeenCalled();
    });

    it('reports under the key it is given', async () => {
      const { indicator, tokens, clock } = createIndicator();
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 60_000),
        consecutiveFailures: 0,
      };

      const result = await indicator.isHealthy('weir');

      expect(Object.keys(result)).toEqual(['weir']);
      expect(result.weir.status).toBe('up');
    });

    it('is degraded while refreshes fail, with the failure count and last code', async () => {
      const { indicator, tokens, clock } = createIndicator();
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 120_000),
        obtainedAt: new Date(clock.wall - 3_480_000),
        consecutiveFailures: 3,
        lastError: serverError(),
        retryAfterMs: 3_500,
      };

      const result = await indicator.isHealthy();

      expect(result['weir-auth']).toEqual({
        status: 'degraded',
        environment: 'development',
        expiresInSeconds: 120,
        expiresAt: '2030-01-01T00:02:00.000Z',
        obtainedAt: '2029-12-31T23:02:00.000Z',
        consecutiveFailures: 3,
        lastErrorCode: 'SERVER_ERROR',
        retryAfterSeconds: 4,
        message: 'Token refresh is failing; the cached token is still valid',
      });
      expect(tokens.getToken).not.toHaveBeenCalled();
    });

    it('is up with the failure details where Terminus has no degraded state (Terminus 11)', async () => {
      const { indicator, tokens, clock, moduleRef } = createIndicator();
      const terminus11 = {
        check: (key: string) => ({
          up: (data: object) => ({ [key]: { ...data, status: 'up' } }),
          down: (data: object) => ({ [key]: { ...data, status: 'down' } }),
        }),
      };
      moduleRef.get.mockReturnValue(terminus11);
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 120_000),
        consecutiveFailures: 2,
        lastError: serverError(),
      };

      const result = await indicator.isHealthy();

      expect(result['weir-auth']).toMatchObject({
        status: 'up',
        consecutiveFailures: 2,
        lastErrorCode: 'SERVER_ERROR',
      });
    });
  });

  describe('with no token cached', () => {
    it('asks for one token for all concurrent probes, and is up once it arrives', async () => {
      const { indicator, tokens, clock } = createIndicator();
      let deliver!: () => void;
      tokens.getToken.mockImplementation(
        () =>
          new Promise((resolve) => {
            deliver = () => {
              tokens.status = {
                hasValidToken: true,
                expiresAt: new Date(clock.wall + 3_600_000),
                obtainedAt: new Date(clock.wall),
                consecutiveFailures: 0,
              };
              resolve(tokenFor(clock));
            };
          }),
      );

      const probes = Array.from({ length: 200 }, () => indicator.isHealthy());
      await new Promise((resolve) => setImmediate(resolve));
      deliver();
      const results = await Promise.all(probes);

      expect(tokens.getToken).toHaveBeenCalledTimes(1);
      expect(results.every((result) => result['weir-auth'].status === 'up')).toBe(true);
      expect(results[0]['weir-auth']).toMatchObject({
        expiresInSeconds: 3600,
        obtainedAt: '2030-01-01T00:00:00.000Z',
      });
    });

    it('is down with the code and message of the failure', async () => {
      const { indicator, tokens } = createIndicator();
      tokens.getToken.mockImplementation(async () => {
        tokens.status = { hasValidToken: false, consecutiveFailures: 1, lastError: invalid };
        throw invalid;
      });
      const invalid = new WeirAuthError({
        code: WeirAuthErrorCode.INVALID_CREDENTIALS,
        message: 'Invalid client credentials',
        status: 401,
        retryAfterMs: 60_000,
      });

      await expect(indicator.isHealthy()).resolves.toEqual({
        'weir-auth': {
          status: 'down',
          environment: 'development',
          code: 'INVALID_CREDENTIALS',
          message: 'Invalid client credentials',
          retryAfterSeconds: 60,
          consecutiveFailures: 1,
        },
      });
    });

    it('is down with TIMEOUT when no token comes within healthProbeTimeoutMs, and joins the pending request next time', async () => {
      const { indicator, tokens } = createIndicator({ healthProbeTimeoutMs: 20 });
      tokens.getToken.mockReturnValue(new Promise(() => undefined));

      const started = Date.now();
      const result = await indicator.isHealthy();

      expect(Date.now() - started).toBeLessThan(1_000);
      expect(result['weir-auth']).toEqual({
        status: 'down',
        environment: 'development',
        code: 'TIMEOUT',
        message: 'No token within the health probe timeout of 20 ms',
      });
      // The service's request is still under way: asking again only joins it (single flight there).
      await indicator.isHealthy();
      expect(tokens.getToken).toHaveBeenCalledTimes(2);
    });

    it('does not show what an unexpected error says', async () => {
      const { indicator, tokens } = createIndicator();
      tokens.getToken.mockRejectedValue(new Error('Authorization: Basic dGVzdDpzZWNyZXQ='));

      const result = await indicator.isHealthy();

      expect(result['weir-auth']).toEqual({
        status: 'down',
        environment: 'development',
        code: 'UNEXPECTED_ERROR',
        message: 'The token service failed unexpectedly',
      });
    });

    it('keeps vendor messages to one short line', async () => {
      const { indicator, tokens } = createIndicator();
      tokens.getToken.mockRejectedValue(
        new WeirAuthError({ code: 'VENDOR_SAYS', message: `first line\n${'x'.repeat(500)}` }),
      );

      const { message } = (await indicator.isHealthy())['weir-auth'];

      expect(message).toMatch(/^first line x+…$/);
      expect(message).toHaveLength(200);
    });

    it('answers down if reading the state fails, and logs it', async () => {
      const { indicator, tokens, logger } = createIndicator();
      jest.spyOn(tokens, 'getStatus').mockImplementation(() => {
        throw new TypeError('boom');
      });

      const result = await indicator.isHealthy();

      expect(result['weir-auth']).toMatchObject({ status: 'down', code: 'UNEXPECTED_ERROR' });
      expect(logger.error).toHaveBeenCalledWith(
        'Health check failed unexpectedly: TypeError: boom',
      );
    });
  });

  describe('keeping probes off the rate budget', () => {
    it('answers from state while the token service holds requests back', async () => {
      const { indicator, tokens } = createIndicator();
      tokens.status = {
        hasValidToken: false,
        consecutiveFailures: 4,
        lastError: new WeirAuthError({
          code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED,
          message: 'Too many token generation requests',
          status: 429,
          retryAfterMs: 30_000,
        }),
        retryAfterMs: 29_001,
      };

      const results = await Promise.all(Array.from({ length: 200 }, () => indicator.isHealthy()));

      expect(tokens.getToken).not.toHaveBeenCalled();
      expect(results[199]).toEqual({
        'weir-auth': {
          status: 'down',
          environment: 'development',
          code: 'RATE_LIMIT_EXCEEDED',
          message: 'Too many token generation requests',
          retryAfterSeconds: 30,
          consecutiveFailures: 4,
        },
      });
    });

    it('after a failed probe, asks again only when twice the sustained rate has passed', async () => {
      const { indicator, tokens, clock } = createIndicator();
      tokens.getToken.mockImplementation(async () => {
        tokens.status = { hasValidToken: false, consecutiveFailures: 1, lastError: serverError() };
        throw serverError();
      });

      await indicator.isHealthy();
      clock.advance(29_000);
      const meanwhile = await indicator.isHealthy();
      expect(tokens.getToken).toHaveBeenCalledTimes(1);
      expect(meanwhile['weir-auth']).toMatchObject({
        status: 'down',
        code: 'SERVER_ERROR',
        retryAfterSeconds: 1,
      });

      // 20 requests per 300 s: one every 15 s sustained, probes take one every 30 s at most.
      clock.advance(1_000);
      await indicator.isHealthy();
      expect(tokens.getToken).toHaveBeenCalledTimes(2);
    });

    it("honours a failure's retryAfterMs when it is longer", async () => {
      const { indicator, tokens, clock } = createIndicator({ rateLimits: [] });
      const limited = new WeirAuthError({
        code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED,
        message: 'Too many token generation requests',
        retryAfterMs: 120_000,
      });
      tokens.getToken.mockImplementation(async () => {
        // The service's own hold is shorter here, to show the probe's hold alone.
        tokens.status = { hasValidToken: false, consecutiveFailures: 1, lastError: limited };
        throw limited;
      });

      await indicator.isHealthy();
      clock.advance(119_999);
      await indicator.isHealthy();
      expect(tokens.getToken).toHaveBeenCalledTimes(1);
      clock.advance(1);
      await indicator.isHealthy();
      expect(tokens.getToken).toHaveBeenCalledTimes(2);
    });

    it('asks again at once when a success has come since the failed probe', async () => {
      const { indicator, tokens } = createIndicator();
      tokens.getToken.mockRejectedValueOnce(serverError());
      tokens.status = { hasValidToken: false, consecutiveFailures: 1, lastError: serverError() };
      await indicator.isHealthy();

      // A call elsewhere got a token, which the API then refused (invalidated): no failure pending.
      tokens.status = { hasValidToken: false, consecutiveFailures: 0 };
      tokens.getToken.mockRejectedValueOnce(serverError());
      await indicator.isHealthy();

      expect(tokens.getToken).toHaveBeenCalledTimes(2);
    });
  });

  describe("finding Terminus's HealthIndicatorService", () => {
    it("uses the app's instance, looked up once", async () => {
      const { indicator, tokens, clock, moduleRef } = createIndicator();
      const appService = new HealthIndicatorService();
      const check = jest.spyOn(appService, 'check');
      moduleRef.get.mockReturnValue(appService);
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 60_000),
        consecutiveFailures: 0,
      };

      await indicator.isHealthy();
      await indicator.isHealthy();

      expect(moduleRef.get).toHaveBeenCalledTimes(1);
      expect(moduleRef.get).toHaveBeenCalledWith(HealthIndicatorService, { strict: false });
      expect(check).toHaveBeenCalledTimes(2);
    });

    it('makes its own when the app has no TerminusModule', async () => {
      const { indicator, tokens, clock } = createIndicator();
      tokens.status = {
        hasValidToken: true,
        expiresAt: new Date(clock.wall + 60_000),
        consecutiveFailures: 0,
      };

      await expect(indicator.isHealthy()).resolves.toMatchObject({ 'weir-auth': { status: 'up' } });
    });
  });
});
