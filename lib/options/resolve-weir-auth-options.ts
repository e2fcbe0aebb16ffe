import { Logger, type LoggerService } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { inspect } from 'node:util';
import type {
  WeirAuthModuleOptions,
  WeirEnvironment,
} from '../interfaces/weir-auth-module-options.interface.js';
import type { WeirClock } from '../interfaces/weir-clock.interface.js';
import type { WeirRateLimitWindow } from '../interfaces/weir-rate-limit.interface.js';
import type { WeirTokenStore } from '../interfaces/weir-token-store.interface.js';
import { MemoryTokenStore } from '../token/memory-token.store.js';
import { systemClock } from '../token/system-clock.js';
import {
  WEIR_AUTH_LOGGER_CONTEXT,
  WEIR_BASE_URLS,
  WEIR_DEFAULT_RATE_LIMITS,
  WEIR_TOKEN_PATH,
} from '../weir-auth.constants.js';
import { WeirAuthOptionsSchema } from './weir-auth-options.schema.js';
import { WeirCredentials } from './weir-credentials.js';

/** @internal The options with every default applied, as the services use them. */
export interface ResolvedWeirAuthOptions {
  readonly credentials: WeirCredentials;
  readonly environment: WeirEnvironment;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly tokenUrl: string;
  /** Normalised origins (`URL#origin`). */
  readonly allowedOrigins: readonly string[];
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly refreshAheadMs: number;
  readonly refreshAheadRatio: number;
  readonly keepFresh: boolean;
  readonly retry: {
    readonly attempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
  };
  readonly rateLimits: readonly WeirRateLimitWindow[];
  readonly maxRateLimitWaitMs: number;
  readonly invalidCredentialsBackoffMs: number;
  readonly healthProbeTimeoutMs: number;
  readonly storeTimeoutMs: number;
  readonly store: WeirTokenStore;
  readonly clock: WeirClock;
  readonly logger: LoggerService;
}

/** The error thrown at start-up for options that are not valid: it names every bad key, no value. */
export class WeirAuthOptionsError extends Error {
  override readonly name = 'WeirAuthOptionsError';

  constructor(
    readonly invalidKeys: readonly string[],
    problems: readonly string[],
  ) {
    super(`Invalid WeirAuthModule options: ${problems.join('; ')}`);
  }
}

/** @internal Validates the options a user gave and applies the defaults. Throws `WeirAuthOptionsError`. */
export function resolveWeirAuthOptions(options: WeirAuthModuleOptions): ResolvedWeirAuthOptions {
  assertValid(options);
  hideSecretWhenPrinted(options);
  const environment = options.environment ?? 'production';
  const baseUrl = (options.baseUrl ?? WEIR_BASE_URLS[environment]).replace(/\/+$/, '');
  const retry = options.retry ?? {};
  return {
    credentials: new WeirCredentials(options.clientId, options.secretKey),
    environment,
    baseUrl,
    tokenUrl: `${baseUrl}${WEIR_TOKEN_PATH}`,
    allowedOrigins: (options.allowedOrigins ?? [baseUrl]).map((origin) => new URL(origin).origin),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
    refreshAheadMs: options.refreshAheadMs ?? 300_000,
    refreshAheadRatio: options.refreshAheadRatio ?? 0.1,
    keepFresh: options.keepFresh ?? false,
    retry: {
      attempts: retry.attempts ?? 3,
      baseDelayMs: retry.baseDelayMs ?? 250,
      maxDelayMs: retry.maxDelayMs ?? 5_000,
    },
    rateLimits:
      options.rateLimits?.map(({ limit, windowMs }) => ({ limit, windowMs })) ??
      WEIR_DEFAULT_RATE_LIMITS,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 0,
    invalidCredentialsBackoffMs: options.invalidCredentialsBackoffMs ?? 60_000,
    healthProbeTimeoutMs: options.healthProbeTimeoutMs ?? 3_000,
    storeTimeoutMs: options.storeTimeoutMs ?? 1_000,
    store: options.store ?? new MemoryTokenStore(),
    clock: options.clock ?? systemClock,
    logger:
      options.logger === false
        ? silentLogger
        : (options.logger ?? new Logger(WEIR_AUTH_LOGGER_CONTEXT)),
  };
}

/**
 * Nest keeps the options object as given, as a provider: printing the app's container, or the
 * object itself, must not show the secret. Non-enumerable, so nothing else about it changes.
 */
function hideSecretWhenPrinted(options: WeirAuthModuleOptions): void {
  if (!Object.isExtensible(options)) return;
  const printable = () => ({ ...options, secretKey: '[REDACTED]' });
  Object.defineProperties(options, {
    toJSON: { value: printable, configurable: true },
    [inspect.custom]: {
      value: (_depth: number, inspectOptions: object) => inspect(printable(), inspectOptions),
      configurable: true,
    },
  });
}

function assertValid(options: WeirAuthModuleOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new WeirAuthOptionsError(
      [],
      ['the options must be an object with clientId and secretKey'],
    );
  }
  // Collaborators are checked by shape: class-transformer would walk (and copy) a Redis client.
  const { store, clock, logger, ...plain } = options;
  const problems = flatten(
    validateSync(plainToInstance(WeirAuthOptionsSchema, plain), {
      forbidUnknownValues: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    }),
  );
  if (store !== undefined && !hasMethods(store, STORE_METHODS)) {
    problems.push(['store', [`store must implement ${STORE_METHODS.join(', ')}`]]);
  }
  if (clock !== undefined && !hasMethods(clock, ['now', 'wallNow'])) {
    problems.push(['clock', ['clock must implement now and wallNow']]);
  }
  if (logger !== undefined && logger !== false && !hasMethods(logger, ['log', 'warn', 'error'])) {
    problems.push(['logger', ['logger must be a LoggerService or false']]);
  }
  if (problems.length === 0) return;
  throw new WeirAuthOptionsError(
    problems.map(([key]) => key),
    problems.map(([key, messages]) => `${key}: ${messages.join(', ')}`),
  );
}

const STORE_METHODS = ['bind', 'get', 'set', 'delete', 'acquireRequestSlot', 'pauseRequests'];

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

function flatten(errors: ValidationError[], parent = ''): Array<[string, string[]]> {
  return errors.flatMap((error) => {
    const key = parent ? `${parent}.${error.property}` : error.property;
    const own: Array<[string, string[]]> = error.constraints
      ? [[key, Object.values(error.constraints)]]
      : [];
    return [...own, ...flatten(error.children ?? [], key)];
  });
}

const silentLogger: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
  [inspect.custom]: () => 'SilentLogger',
} as LoggerService;
