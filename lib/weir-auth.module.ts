import { Module } from '@nestjs/common';
import type { WeirAuthModuleOptions } from './interfaces/weir-auth-module-options.interface.js';
import { resolveWeirAuthOptions } from './options/resolve-weir-auth-options.js';
import { WeirAuthHealthIndicator } from './health/weir-auth-health.indicator.js';
import { WeirAuthInterceptor } from './http/weir-auth.interceptor.js';
import { WeirHttpService } from './http/weir-http.service.js';
import { WeirTokenService } from './token/weir-token.service.js';
import { WEIR_AUTH_RESOLVED_OPTIONS } from './weir-auth.constants.js';
import {
  WeirAuthConfigurableModule,
  WEIR_AUTH_MODULE_OPTIONS,
} from './weir-auth.module-definition.js';

/**
 * Authenticates an app's calls to the Weir API.
 *
 * `WeirAuthModule.forRoot({ clientId, secretKey })`, or `forRootAsync({ imports, inject, useFactory })`
 * to read them from `ConfigService`; both take `isGlobal`. Provides and exports `WeirTokenService`,
 * `WeirHttpService`, `WeirAuthInterceptor` and `WeirAuthHealthIndicator`.
 */
@Module({
  providers: [
    {
      provide: WEIR_AUTH_RESOLVED_OPTIONS,
      useFactory: (options: WeirAuthModuleOptions) => resolveWeirAuthOptions(options),
      inject: [WEIR_AUTH_MODULE_OPTIONS],
    },
    WeirTokenService,
    WeirAuthInterceptor,
    WeirHttpService,
    WeirAuthHealthIndicator,
  ],
  exports: [WeirTokenService, WeirAuthInterceptor, WeirHttpService, WeirAuthHealthIndicator],
})
export class WeirAuthModule extends WeirAuthConfigurableModule {}
