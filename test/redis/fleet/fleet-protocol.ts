import type { WeirAuthModuleOptions } from '../../../lib/interfaces/weir-auth-module-options.interface.js';

/** How a fleet worker boots: passed as JSON in `WEIR_FLEET_CONFIG`. */
export interface FleetWorkerConfig {
  readonly weirUrl: string;
  readonly redisUrl: string;
  readonly clientId: string;
  readonly secretKey: string;
  readonly keyPrefix?: string;
  /** Extra module options (plain values only: the config crosses a process boundary). */
  readonly module?: Partial<
    Omit<WeirAuthModuleOptions, 'clientId' | 'secretKey' | 'baseUrl' | 'store' | 'clock' | 'logger'>
  >;
}

/** What the test asks a worker to do. */
export type FleetCommand = 'token' | 'refresh' | 'close';

export interface FleetRequest {
  readonly id: number;
  readonly command: FleetCommand;
}

/** The answer to one command: the token, or the error code it failed with. */
export type FleetReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly accessToken: string;
      readonly tookMs: number;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly tookMs: number;
    };

/** Everything a worker sends to the test. */
export type FleetMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'log'; readonly level: string; readonly message: string }
  | ({ readonly type: 'reply' } & FleetReply);
