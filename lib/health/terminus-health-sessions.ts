import type { ModuleRef } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * @internal The part of Terminus's `HealthIndicatorSession` the indicator uses. `degraded` is
 * optional because Terminus 11 does not have it; the indicator looks for it at run time.
 */
export interface HealthSession<Key extends string> {
  up(data: Record<string, unknown>): HealthIndicatorResult<Key>;
  down(data: Record<string, unknown>): HealthIndicatorResult<Key>;
  degraded?(data: Record<string, unknown>): HealthIndicatorResult<Key>;
}

/** @internal The part of Terminus's `HealthIndicatorService` the indicator uses. */
export interface HealthSessions {
  check<Key extends string>(key: Key): HealthSession<Key>;
}

/**
 * @internal Finds Terminus's `HealthIndicatorService`: the app's own instance when its
 * `TerminusModule` is loaded, else a new one (the service keeps no state `up`/`down` need).
 *
 * `@nestjs/terminus` is an optional peer, so it is imported here, on first use, and never at
 * module load: apps without it can import everything else in the package.
 */
export async function loadHealthSessions(moduleRef: ModuleRef): Promise<HealthSessions> {
  let terminus: typeof import('@nestjs/terminus');
  try {
    terminus = await loadTerminus();
  } catch (cause) {
    throw new Error(
      'WeirAuthHealthIndicator needs @nestjs/terminus (11 or later), which could not be loaded: ' +
        'install it with `npm install @nestjs/terminus`.',
      { cause },
    );
  }
  const { HealthIndicatorService } = terminus;
  let service: InstanceType<typeof HealthIndicatorService>;
  try {
    service = moduleRef.get(HealthIndicatorService, { strict: false });
  } catch {
    service = new HealthIndicatorService();
  }
  return service;
}

/**
 * The CommonJS build requires Terminus: `require()` loads the ESM-only Terminus 12 on Node 20.19+,
 * and jest's CommonJS mode cannot run a real `import()` from a package. The ESM build, where
 * `require` does not exist, imports it.
 */
async function loadTerminus(): Promise<typeof import('@nestjs/terminus')> {
  return typeof require === 'function'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('@nestjs/terminus') as typeof import('@nestjs/terminus'))
    : import('@nestjs/terminus');
}
