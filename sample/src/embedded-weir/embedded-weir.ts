import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { WEIR_BASE_URLS, type WeirAuthModuleOptions } from 'nestjs-weir-auth';
import { FakeWeirServer } from 'nestjs-weir-auth/testing';
import { usesEmbeddedWeir, type EnvironmentVariables } from '../config/env.validation';

/**
 * The Weir API the sample calls when no credentials are configured: a `FakeWeirServer` running in
 * this process on 127.0.0.1, closed when the app shuts down. With credentials, nothing runs here.
 */
export class EmbeddedWeir implements OnApplicationShutdown {
  private static readonly logger = new Logger('EmbeddedWeir');

  /** Options that point WeirAuthModule at the fake; private, as they hold its secret key. */
  readonly #moduleOptions: WeirAuthModuleOptions | undefined;

  private constructor(
    /** The fake API, when it runs. */
    readonly server?: FakeWeirServer,
    moduleOptions?: WeirAuthModuleOptions,
  ) {
    this.#moduleOptions = moduleOptions;
  }

  /** Starts the fake API if the environment names no Weir credentials, and says which API is used. */
  static async start(config: ConfigService<EnvironmentVariables, true>): Promise<EmbeddedWeir> {
    const env = {
      WEIR_CLIENT_ID: config.get('WEIR_CLIENT_ID', { infer: true }),
      WEIR_SECRET_KEY: config.get('WEIR_SECRET_KEY', { infer: true }),
    };
    if (!usesEmbeddedWeir(env)) {
      const environment = config.get('WEIR_ENVIRONMENT', { infer: true }) ?? 'production';
      const url = config.get('WEIR_API_URL', { infer: true }) ?? WEIR_BASE_URLS[environment];
      this.logger.log(
        `Weir API: ${withoutSecrets(url)} (${environment}), with WEIR_CLIENT_ID / WEIR_SECRET_KEY`,
      );
      return new EmbeddedWeir();
    }
    // Credentials that exist only in this process: the fake accepts nothing else.
    const clientId = 'sample-client';
    const secretKey = randomUUID();
    const server = await FakeWeirServer.start({ clientId, secretKey });
    this.logger.log(
      `Weir API: embedded FakeWeirServer at ${server.url} (no WEIR_CLIENT_ID / WEIR_SECRET_KEY set)`,
    );
    this.logger.log(
      'To call the real Weir API, set WEIR_CLIENT_ID and WEIR_SECRET_KEY ' +
        `(WEIR_ENVIRONMENT=development for ${WEIR_BASE_URLS.development}, WEIR_API_URL for another URL)`,
    );
    return new EmbeddedWeir(server, { clientId, secretKey, baseUrl: server.url });
  }

  /** Whether the fake API runs, i.e. no credentials are configured. */
  get isRunning(): boolean {
    return this.server !== undefined;
  }

  /** WeirAuthModule options that point at the fake API, or undefined when it does not run. */
  moduleOptions(): WeirAuthModuleOptions | undefined {
    return this.#moduleOptions;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * The URL to print: WeirAuthModule has not validated it yet, and user info or a query string
 * could hold a secret.
 */
function withoutSecrets(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}
