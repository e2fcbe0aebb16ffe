import { Injectable, NotImplementedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';
import { WeirHttpService, WeirTokenService } from 'nestjs-weir-auth';
import type { EnvironmentVariables } from '../config/env.validation';
import { EmbeddedWeir } from '../embedded-weir/embedded-weir';

/** Which Weir API the sample talks to. */
export interface WeirApiView {
  /** `embedded` (the in-process FakeWeirServer), `production` or `development`. */
  environment: string;
  baseUrl: string;
}

/** `GET /weir/token`: what is known of the current token, never the token itself. */
export interface WeirTokenView {
  api: WeirApiView;
  tokenType: string;
  expiresAt: string;
  expiresInSeconds: number;
  obtainedAt?: string;
  consecutiveFailures: number;
}

/** `GET /weir/echo`: a call through WeirHttpService and what the API answered. */
export interface WeirEchoView {
  api: WeirApiView;
  request: string;
  /** The Authorization header the call carried, with the token itself redacted. */
  authorization?: string;
  status: number;
  body: unknown;
}

/** The protected route of FakeWeirServer: it answers 200 only to a bearer token it issued. */
const EMBEDDED_ECHO_PATH = '/v1/echo';

@Injectable()
export class WeirService {
  constructor(
    private readonly tokens: WeirTokenService,
    private readonly http: WeirHttpService,
    private readonly embedded: EmbeddedWeir,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async tokenStatus(): Promise<WeirTokenView> {
    // Obtains a token if none is cached; WeirAuthError when the API refuses one.
    const token = await this.tokens.getToken();
    const status = this.tokens.getStatus();
    const expiresAt = status.expiresAt ?? token.expiresAt;
    return {
      api: this.api(),
      tokenType: token.tokenType,
      expiresAt: expiresAt.toISOString(),
      expiresInSeconds: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
      obtainedAt: status.obtainedAt?.toISOString(),
      consecutiveFailures: status.consecutiveFailures,
    };
  }

  async echo(): Promise<WeirEchoView> {
    const path = this.embedded.isRunning
      ? EMBEDDED_ECHO_PATH
      : this.config.get('WEIR_SAMPLE_PATH', { infer: true });
    if (path === undefined) {
      throw new NotImplementedException(
        'Set WEIR_SAMPLE_PATH to a path of the Weir API (e.g. /v1/...) for GET /weir/echo to call it',
      );
    }
    // The bearer token is added by the package; a 401 gets one retry with a fresh token.
    const response = await firstValueFrom(this.http.get<unknown>(path));
    const authorization = response.config.headers.get('Authorization');
    return {
      api: this.api(),
      request: `GET ${path}`,
      authorization: typeof authorization === 'string' ? redact(authorization) : undefined,
      status: response.status,
      body: response.data,
    };
  }

  private api(): WeirApiView {
    return {
      environment: this.embedded.isRunning
        ? 'embedded'
        : (this.config.get('WEIR_ENVIRONMENT', { infer: true }) ?? 'production'),
      baseUrl: this.http.axiosRef.defaults.baseURL ?? '',
    };
  }
}

/** `Bearer eyJhbGciOi...` → `Bearer [REDACTED]`: the scheme shows that a token was sent. */
function redact(authorization: string): string {
  return `${authorization.split(' ')[0]} [REDACTED]`;
}
