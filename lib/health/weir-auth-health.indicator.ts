import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { WeirAuthErrorCode } from '../errors/weir-auth-error-code.js';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';
import { WeirTokenService } from '../token/weir-token.service.js';
import { WEIR_AUTH_RESOLVED_OPTIONS } from '../weir-auth.constants.js';
import { failedProbeIntervalMs } from './failed-probe-interval.js';
import { withProbeTimeout, HealthProbeTimeoutError } from './probe-timeout.js';
import {
  loadHealthSessions,
  type HealthSession,
  type HealthSessions,
} from './terminus-health-sessions.js';
import {
  describeFailure,
  failureAnswer,
  validTokenAnswer,
  type HealthAnswer,
  type TokenFailure,
} from './weir-auth-health-details.js';

/**
 * A `@nestjs/terminus` (11 or 12) health indicator for the Weir credentials and token state.
 *
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.weirAuth.isHealthy()]);
 * }
 * ```
 *
 * Probes are answered from the token service's state whenever it can tell: a probe sends a token
 * request only when no token is cached and nothing holds requests back, and concurrent probes
 * share that one request. Kubernetes probing every few seconds, or a storm of probes against a
 * failing Weir API, therefore costs at most a few requests of the rate budget.
 */
@Injectable()
export class WeirAuthHealthIndicator {
  private sessions?: Promise<HealthSessions>;
  private probeInFlight?: Promise<HealthAnswer>;
  /** The last probe that failed, and the monotonic instant before which no probe asks again. */
  private failedProbe?: { readonly failure: TokenFailure; readonly retryAt: number };

  constructor(
    private readonly tokens: WeirTokenService,
    @Inject(WEIR_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedWeirAuthOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * The health of the Weir authentication, under `key`.
   *
   * - `up` while a valid token is cached: `expiresInSeconds`, `expiresAt`, `obtainedAt`, `environment`.
   * - `degraded` (Terminus 12; `up` on Terminus 11) while a token is valid but its refreshes fail:
   *   also `consecutiveFailures` and `lastErrorCode`.
   * - `down` when no token can be had: `code` (e.g. `INVALID_CREDENTIALS`), `message` and, when
   *   known, `retryAfterSeconds`.
   *
   * With no token cached it asks the token service for one, for at most `healthProbeTimeoutMs`.
   * It resolves with a result in every case: it rejects only when `@nestjs/terminus` is not installed.
   *
   * @param key The key of the result in the health check's report. Default `'weir-auth'`.
   */
  async isHealthy<const Key extends string = 'weir-auth'>(
    key: Key = 'weir-auth' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const session = (await this.loadSessions()).check(key);
    let answer: HealthAnswer;
    try {
      answer = this.answerFromState() ?? (await this.probe());
    } catch (error) {
      answer = this.unexpected(error);
    }
    return report(session, answer);
  }

  private loadSessions(): Promise<HealthSessions> {
    // A failed load is not cached: installing Terminus must not need a restart of the probe.
    this.sessions ??= loadHealthSessions(this.moduleRef).catch((error: unknown) => {
      this.sessions = undefined;
      throw error;
    });
    return this.sessions;
  }

  /** The answer the token service's state gives without any request, if it gives one. */
  private answerFromState(): HealthAnswer | undefined {
    const { environment, clock } = this.options;
    const status = this.tokens.getStatus();
    if (status.hasValidToken && status.expiresAt) {
      return validTokenAnswer(
        { expiresAt: status.expiresAt, obtainedAt: status.obtainedAt },
        status,
        environment,
        clock.wallNow(),
      );
    }
    if (status.retryAfterMs !== undefined && status.retryAfterMs > 0) {
      // getToken() would reject at once anyway; answering here keeps probes off the service.
      const failure = status.lastError
        ? describeFailure(status.lastError)
        : heldBack(status.retryAfterMs);
      return failureAnswer(failure, status.consecutiveFailures, environment, status.retryAfterMs);
    }
    const failed = this.failedProbe;
    // A success since the failed probe (failures back to 0) makes its answer stale.
    if (failed && status.consecutiveFailures > 0) {
      const waitMs = failed.retryAt - clock.now();
      if (waitMs > 0) {
        const failure = status.lastError ? describeFailure(status.lastError) : failed.failure;
        return failureAnswer(failure, status.consecutiveFailures, environment, waitMs);
      }
    }
    return undefined;
  }

  /** Asks for a token, once for all the probes that arrive while it is pending. */
  private probe(): Promise<HealthAnswer> {
    this.probeInFlight ??= this.askForToken().finally(() => {
      this.probeInFlight = undefined;
    });
    return this.probeInFlight;
  }

  private async askForToken(): Promise<HealthAnswer> {
    const { environment, clock, healthProbeTimeoutMs, rateLimits } = this.options;
    try {
      const token = await withProbeTimeout(this.tokens.getToken(), healthProbeTimeoutMs);
      this.failedProbe = undefined;
      const status = this.tokens.getStatus();
      // The status may already describe a newer token than the one this request returned.
      const facts =
        status.hasValidToken && status.expiresAt
          ? { expiresAt: status.expiresAt, obtainedAt: status.obtainedAt }
          : { expiresAt: token.expiresAt };
      return validTokenAnswer(facts, status, environment, clock.wallNow());
    } catch (error) {
      const failure = describeFailure(error);
      // A timed-out request is still pending in the token service: the next probe joins it.
      if (!(error instanceof HealthProbeTimeoutError)) {
        const retryAt = clock.now() + failedProbeIntervalMs(rateLimits, failure.retryAfterMs);
        this.failedProbe = { failure, retryAt };
      }
      // The service's state now says how long it holds requests back, which the error may not.
      return (
        this.answerFromState() ??
        failureAnswer(failure, this.tokens.getStatus().consecutiveFailures, environment)
      );
    }
  }

  private unexpected(error: unknown): HealthAnswer {
    const { name, message } = error instanceof Error ? error : { name: typeof error, message: '' };
    this.options.logger.error(`Health check failed unexpectedly: ${name}: ${message}`);
    return failureAnswer(describeFailure(error), 0, this.options.environment);
  }
}

function heldBack(retryAfterMs: number): TokenFailure {
  return {
    code: WeirAuthErrorCode.RATE_LIMIT_EXCEEDED,
    message: 'Token requests are held back',
    retryAfterMs,
  };
}

function report<Key extends string>(
  session: HealthSession<Key>,
  { status, details }: HealthAnswer,
): HealthIndicatorResult<Key> {
  switch (status) {
    case 'up':
      return session.up(details);
    case 'down':
      return session.down(details);
    case 'degraded':
      // Terminus 11 has no degraded state: a token that still works is up there.
      return session.degraded ? session.degraded(details) : session.up(details);
  }
}
