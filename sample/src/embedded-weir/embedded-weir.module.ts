import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';
import { EmbeddedWeir } from './embedded-weir';

/** Provides `EmbeddedWeir`: the fake Weir API, started before WeirAuthModule reads its options. */
@Module({
  providers: [
    {
      provide: EmbeddedWeir,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => EmbeddedWeir.start(config),
    },
  ],
  exports: [EmbeddedWeir],
})
export class EmbeddedWeirModule {}
