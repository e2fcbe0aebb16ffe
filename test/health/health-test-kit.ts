import type { ModuleRef } from '@nestjs/core';
import { WeirAuthHealthIndicator } from '../../lib/health/weir-auth-health.indicator.js';
import type { WeirAccessToken } from '../../lib/interfaces/weir-access-token.interface.js';
import type { WeirTokenStatus } from '../../lib/interfaces/weir-token-status.interface.js';
import type { ResolvedWeirAuthOptions } from '../../lib/options/resolve-weir-auth-options.js';
import type { WeirTokenService } from '../../lib/token/weir-token.service.js';
import { WEIR_DEFAULT_RATE_LIMITS } from '../../lib/weir-auth.constants.js';
import { ManualClock } from '../support/manual-clock.js';

export { ManualClock };

/** A token service whose state each test sets by hand. */
export class StubTokenService {
  status: WeirTokenStatus = { hasValidToken: false, consecutiveFailures: 0 };
  readonly getToken = jest.fn<Promise<WeirAccessToken>, []>();

  getStatus(): WeirTokenStatus {
    return this.status;
  }
}

export interface IndicatorKit {
  readonly indicator: WeirAuthHealthIndicator;
  readonly tokens: StubTokenService;
  readonly clock: ManualClock;
  readonly moduleRef: { get: jest.Mock };
  readonly logger: { log: jest.Mock; warn: jest.Mock; error: jest.Mock };
}

/**
 * An indicator over a stub token service. `moduleRef.get` finds no Terminus by default, so the
 * indicator falls back to its own `HealthIndicatorService` (Terminus 12, with `degraded`).
 */
export function createIndicator(options: Partial<ResolvedWeirAuthOptions> = {}): IndicatorKit {
  const tokens = new StubTokenService();
  const clock = new ManualClock();
  const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const moduleRef = {
    get: jest.fn(() => {
      throw new Error('not found');
    }),
  };
  const resolved = {
    environment: 'development',
    baseUrl: 'https://api-dev.weir.ai',
    healthProbeTimeoutMs: 3_000,
    rateLimits: WEIR_DEFAULT_RATE_LIMITS,
    clock,
    logger,
    ...options,
  } as unknown as ResolvedWeirAuthOptions;
  const indicator = new WeirAuthHealthIndicator(
    tokens as unknown as WeirTokenService,
    resolved,
    moduleRef as unknown as ModuleRef,
  );
  return { indicator, tokens, clock, moduleRef, logger };
}

/** A token as the service hands it out, expiring `inSeconds` after `clock`'s wall time. */
export function tokenFor(clock: ManualClock, inSeconds = 3600): WeirAccessToken {
  return {
    accessToken: 'secret-bearer-token',
    tokenType: 'Bearer',
    expiresIn: inSeconds,
    expiresAt: new Date(clock.wall + inSeconds * 1000),
  };
}
