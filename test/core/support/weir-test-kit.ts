import type { LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { WeirAuthModule, WeirTokenService, type WeirAuthModuleOptions } from 'nestjs-weir-auth';
import { FakeWeirServer, type FakeWeirServerOptions } from 'nestjs-weir-auth/testing';
import type { Subscription } from 'rxjs';
import { inspect } from 'node:util';
import { ManualClock } from '../../support/manual-clock.js';

export { ManualClock };

/** Credentials every kit uses: distinctive, so a leak is found by a plain substring search. */
export const CLIENT_ID = 'client-under-test';
export const SECRET_KEY = 'wsk_test_Z3cr3t-K3y-4f9c2e71';
export const BASIC_CREDENTIALS = Buffer.from(`${CLIENT_ID}:${SECRET_KEY}`).toString('base64');

export interface LogEntry {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  /** Every argument, formatted as a console would print it (errors with their stacks). */
  readonly text: string;
  readonly args: readonly unknown[];
}

/** A `LoggerService` that keeps every line, to assert on what the package logs. */
export class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(...args: unknown[]): void {
    this.add('log', args);
  }
  error(...args: unknown[]): void {
    this.add('error', args);
  }
  warn(...args: unknown[]): void {
    this.add('warn', args);
  }
  debug(...args: unknown[]): void {
    this.add('debug', args);
  }
  verbose(...args: unknown[]): void {
    this.add('verbose', args);
  }
  fatal(...args: unknown[]): void {
    this.add('fatal', args);
  }

  lines(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => level === undefined || e.level === level).map((e) => e.text);
  }

  /** Everything logged, as one string. */
  text(): string {
    return this.lines().join('\n');
  }

  private add(level: LogEntry['level'], args: unknown[]): void {
    this.entries.push({
      level,
      args,
      text: args
        .map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8 })))
        .join(' '),
    });
  }
}

export interface WeirKitOptions {
  /** The clock of the module and the server (default: a new `ManualClock`). */
  readonly clock?: ManualClock;
  /** Options of the FakeWeirServer; its clock is the kit's clock unless given. */
  readonly server?: FakeWeirServerOptions;
  /** Module options on top of the kit's defaults (credentials, base URL, clock, logger, fast retries). */
  readonly auth?:
    Partial<WeirAuthModuleOptions> | ((server: FakeWeirServer) => Partial<WeirAuthModuleOptions>);
  /**
   * How the app imports the module, given the kit's options (default `WeirAuthModule.forRoot`);
   * for `forRootAsync`, `isGlobal` and feature modules.
   */
  readonly imports?: (options: WeirAuthModuleOptions) => ModuleMetadata['imports'];
  readonly providers?: ModuleMetadata['providers'];
  /**
   * `'option'` (default): the capturing logger is the `logger` option. `'nest'`: no `logger`
   * option; the capturing logger is the Nest app's logger, which Nest's `Logger` delegates to.
   */
  readonly logVia?: 'option' | 'nest';
  /** Whether to run the module's init hooks (default true). */
  readonly init?: boolean;
}

export interface WeirKit {
  readonly server: FakeWeirServer;
  readonly clock: ManualClock;
  readonly logger: CapturingLogger;
  readonly app: TestingModule;
  readonly tokens: WeirTokenService;
  /** Every access token the service obtained, in order (from `tokenChanges$`). */
  readonly obtained: string[];
  /** The secrets that must never be printed: secret key, Basic credentials, every token obtained. */
  secrets(): string[];
  /** Closes the app (idempotent), then the server. */
  close(): Promise<void>;
}

const openKits = new Set<WeirKit>();

/**
 * Boots `WeirAuthModule.forRoot()` in a Nest testing module against a FakeWeirServer on
 * 127.0.0.1, both on one manual clock. Closed by `closeWeirKits()` (see `useCoreSuite`).
 */
export async function startWeirKit(options: WeirKitOptions = {}): Promise<WeirKit> {
  const clock = options.clock ?? new ManualClock();
  const logger = new CapturingLogger();
  const server = await FakeWeirServer.start({
    clientId: CLIENT_ID,
    secretKey: SECRET_KEY,
    now: () => clock.wallNow(),
    ...options.server,
  });
  const logVia = options.logVia ?? 'option';
  const authOptions: WeirAuthModuleOptions = {
    clientId: CLIENT_ID,
    secretKey: SECRET_KEY,
    baseUrl: server.url,
    clock,
    ...(logVia === 'option' && { logger }),
    requestTimeoutMs: 2_000,
    retry: { attempts: 3, baseDelayMs: 2, maxDelayMs: 10 },
    ...(typeof options.auth === 'function' ? options.auth(server) : options.auth),
  };
  const imports = options.imports ?? ((auth) => [WeirAuthModule.forRoot(auth)]);
  let app: TestingModule;
  try {
    const builder = Test.createTestingModule({
      imports: imports(authOptions),
      providers: options.providers ?? [],
    });
    if (logVia === 'nest') builder.setLogger(logger);
    app = await builder.compile();
  } catch (error) {
    await server.close();
    throw error;
  }
  const tokens = app.get(WeirTokenService);
  const obtained: string[] = [];
  const subscription: Subscription = tokens.tokenChanges$.subscribe((token) =>
    obtained.push(token.accessToken),
  );
  let closed: Promise<void> | undefined;
  const kit: WeirKit = {
    server,
    clock,
    logger,
    app,
    tokens,
    obtained,
    secrets: () => [SECRET_KEY, BASIC_CREDENTIALS, ...obtained],
    close: () => {
      closed ??= (async () => {
        openKits.delete(kit);
        subscription.unsubscribe();
        await app.close();
        await server.close();
      })();
      return closed;
    },
  };
  openKits.add(kit);
  if (options.init ?? true) await app.init();
  return kit;
}

export async function closeWeirKits(): Promise<void> {
  await Promise.all([...openKits].map((kit) => kit.close()));
}

/**
 * Per spec file: closes every kit after each test.
 *
 * Unhandled rejections: Jest 30 (jest-circus) replaces the real process's 'unhandledRejection'
 * listeners with its own, which fails the test during which a rejection went unhandled. A
 * listener added here could not help: `process` inside a test file is Jest's sandboxed copy,
 * whose listeners the real process never calls. Background work is therefore checked by every
 * test of these suites simply by running under Jest.
 */
export function useCoreSuite(): void {
  afterEach(async () => {
    await closeWeirKits();
    // A rejection left by the close is reported after the microtask queue drains.
    await new Promise((resolve) => setImmediate(resolve));
  });
}

/** Polls `condition` on real time (5 ms steps) until true, failing after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`'s value, or `'pending'` if it has not settled after `ms` of real time. A generous
 * bound, for "settles at once" or "never waits for the server"; the timer is cleared after.
 */
export async function settledWithin<T>(promise: Promise<T>, ms = 1_000): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

/** Fails with the first secret found in `text`, without printing the secret itself. */
export function expectNoSecret(text: string, secrets: readonly string[], where = 'text'): void {
  const leaked = secrets.findIndex((secret) => secret.length > 0 && text.includes(secret));
  if (leaked >= 0) throw new Error(`Secret #${leaked} found in ${where}`);
}
