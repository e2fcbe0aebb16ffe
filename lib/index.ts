export { WeirAuthModule } from './weir-auth.module.js';
export { WeirTokenService } from './token/weir-token.service.js';
export { MemoryTokenStore } from './token/memory-token.store.js';
export { WeirHttpService } from './http/weir-http.service.js';
export { WeirAuthInterceptor } from './http/weir-auth.interceptor.js';
export { WeirAuthHealthIndicator } from './health/weir-auth-health.indicator.js';
export type { WeirAuthHealthDetails } from './health/weir-auth-health-details.js';
export { WeirAuthError, type WeirAuthErrorInit } from './errors/weir-auth.error.js';
export { WeirAuthErrorCode } from './errors/weir-auth-error-code.js';
export { WeirAuthOptionsError } from './options/resolve-weir-auth-options.js';
export { WEIR_BASE_URLS, WEIR_DEFAULT_RATE_LIMITS } from './weir-auth.constants.js';
export type {
  WeirAuthModuleOptions,
  WeirEnvironment,
  WeirRetryOptions,
} from './interfaces/weir-auth-module-options.interface.js';
export type {
  WeirAuthModuleAsyncOptions,
  WeirAuthOptionsFactory,
} from './interfaces/weir-auth-module-async-options.interface.js';
export type { WeirAccessToken } from './interfaces/weir-access-token.interface.js';
export type { WeirClock } from './interfaces/weir-clock.interface.js';
export type { WeirRateLimitWindow } from './interfaces/weir-rate-limit.interface.js';
export type { WeirTokenStatus } from './interfaces/weir-token-status.interface.js';
export type {
  WeirRateBudgetGrant,
  WeirStoredToken,
  WeirTokenStore,
  WeirTokenStoreLock,
  WeirTokenStoreScope,
} from './interfaces/weir-token-store.interface.js';
