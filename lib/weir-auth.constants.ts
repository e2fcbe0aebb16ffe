import type { WeirEnvironment } from './interfaces/weir-auth-module-options.interface.js';

/** Base URL of each Weir environment, as the vendor documents them. */
export const WEIR_BASE_URLS: Readonly<Record<WeirEnvironment, string>> = Object.freeze({
  production: 'https://api.weir.ai',
  development: 'https://api-dev.weir.ai',
});

/** Path of the token endpoint below the base URL. */
export const WEIR_TOKEN_PATH = '/auth/token';

/** Context of every log line the package writes. */
export const WEIR_AUTH_LOGGER_CONTEXT = 'WeirAuth';

/** The vendor's documented limits for one client: 10 token requests a minute, 20 per 5 minutes. */
export const WEIR_DEFAULT_RATE_LIMITS = Object.freeze([
  Object.freeze({ limit: 10, windowMs: 60_000 }),
  Object.freeze({ limit: 20, windowMs: 300_000 }),
]);

/** @internal Injection token of the resolved, validated options. */
export const WEIR_AUTH_RESOLVED_OPTIONS = Symbol('WEIR_AUTH_RESOLVED_OPTIONS');
