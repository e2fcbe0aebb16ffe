import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { WeirAuthModuleOptions } from './interfaces/weir-auth-module-options.interface.js';

/** @internal */
export const {
  ConfigurableModuleClass: WeirAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: WEIR_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: WEIR_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: WEIR_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WeirAuthModuleOptions>({ moduleName: 'WeirAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createWeirAuthOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
