import type { WEIR_AUTH_ASYNC_OPTIONS_TYPE } from '../weir-auth.module-definition.js';
import type { WeirAuthModuleOptions } from './weir-auth-module-options.interface.js';

/** What `WeirAuthModule.forRootAsync()` takes: `imports`, `inject` and one of `useFactory`, `useClass`, `useExisting`; plus `isGlobal`. */
export type WeirAuthModuleAsyncOptions = typeof WEIR_AUTH_ASYNC_OPTIONS_TYPE;

/** A class given to `forRootAsync({ useClass })` or `useExisting`. */
export interface WeirAuthOptionsFactory {
  createWeirAuthOptions(): WeirAuthModuleOptions | Promise<WeirAuthModuleOptions>;
}
