import type { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import {
  isAxiosError,
  type AxiosError,
  type AxiosInstance,
  type InternalAxiosRequestConfig,
} from 'axios';
import { redactAxiosError } from '../errors/redact-axios-error.js';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';
import { WeirTokenService } from '../token/weir-token.service.js';
import { WEIR_AUTH_RESOLVED_OPTIONS } from '../weir-auth.constants.js';
import { BearerRedirectGuard } from './bearer-redirect-guard.js';
import { WeirOriginPolicy } from './weir-origin-policy.js';

// Enumerable symbol keys survive axios's mergeConfig, so a config sent again still says what it
// is. They hold flags only: anything on a config shows wherever the config is logged.
/** Set on a request whose `Authorization` this package wrote. */
const AUTHORIZED = Symbol('weirAuth.authorized');
/** Set once the request has been retried after a 401: a second 401 goes to the caller. */
const RETRIED = Symbol('weirAuth.retried');

interface WeirRequestConfig extends InternalAxiosRequestConfig {
  [AUTHORIZED]?: true;
  [RETRIED]?: true;
}

/**
 * Puts the Weir bearer token on the requests of any `@nestjs/axios` `HttpService` or axios
 * instance — on those to an allowed origin only — and recovers once from a 401.
 *
 * - A request gets `Authorization: Bearer <token>` only when the URL axios will request
 *   (`baseURL` + `url`, resolved as axios does) has an allowed origin (option `allowedOrigins`;
 *   default: the base URL's origin) and it has no `Authorization` of its own. Other requests are
 *   left untouched and never wait for a token.
 * - A redirect to an origin that is not allowed loses the token.
 * - A 401 to a request that carried the token invalidates that token (unless a newer one has
 *   replaced it already), and the request is sent once more with a fresh one; concurrent 401s share
 *   one token request. A second 401 reaches the caller. Retried requests are sent again with the
 *   same configuration, so a request whose body is a stream cannot be retried with it.
 * - Errors of requests that carried the token reach the caller with the token replaced by
 *   `[REDACTED]` everywhere it was kept; token failures reach it as `WeirAuthError`.
 *
 * Interceptors run in reverse order of addition: attach before adding interceptors that change a
 * request's URL, so that the origin is judged on the final one.
 */
@Injectable()
export class WeirAuthInterceptor {
  readonly #policy: WeirOriginPolicy;
  readonly #redirectGuard: BearerRedirectGuard;
  readonly #attachments = new WeakMap<AxiosInstance, () => void>();

  constructor(
    private readonly tokens: WeirTokenService,
    @Inject(WEIR_AUTH_RESOLVED_OPTIONS) options: ResolvedWeirAuthOptions,
  ) {
    this.#policy = new WeirOriginPolicy(options.allowedOrigins);
    this.#redirectGuard = new BearerRedirectGuard(this.#policy);
  }

  /**
   * Gives `target` the behaviour described above. Attaching again to the same axios instance
   * (directly or through an `HttpService` that wraps it) changes nothing.
   *
   * @returns A function that detaches it again; calling it more than once is harmless.
   */
  attach(target: HttpService | AxiosInstance): () => void {
    const instance = 'axiosRef' in target ? target.axiosRef : target;
    const attached = this.#attachments.get(instance);
    if (attached) return attached;

    const requestId = instance.interceptors.request.use((config) => this.#authorize(config));
    const responseId = instance.interceptors.response.use(undefined, (error: unknown) =>
      this.#recover(instance, error),
    );
    const detach = (): void => {
      if (this.#attachments.get(instance) !== detach) return;
      instance.interceptors.request.eject(requestId);
      instance.interceptors.response.eject(responseId);
      this.#attachments.delete(instance);
    };
    this.#attachments.set(instance, detach);
    return detach;
  }

  #authorize(config: WeirRequestConfig): WeirRequestConfig | Promise<WeirRequestConfig> {
    const ours = config[AUTHORIZED] === true;
    if (this.#policy.allowsRequest(config)) {
      return ours || !config.headers.has('Authorization') ? this.#withToken(config, ours) : config;
    }
    // A config sent again elsewhere (by a retry library, say) must not take our token along.
    if (ours) config.headers.delete('Authorization');
    return config;
  }

  async #withToken(config: WeirRequestConfig, resent: boolean): Promise<WeirRequestConfig> {
    const token = await this.tokens.getAccessToken();
    config.headers.set('Authorization', `Bearer ${token}`);
    // A config sent again carries the hook installed the first time.
    if (!resent) config.beforeRedirect = this.#redirectGuard.around(config.beforeRedirect);
    config[AUTHORIZED] = true;
    return config;
  }

  async #recover(instance: AxiosInstance, error: unknown): Promise<unknown> {
    if (!isAxiosError(error)) throw error;
    const config = error.config as WeirRequestConfig | undefined;
    if (!config?.[AUTHORIZED]) throw error;
    const token = sentToken(config);
    if (token === undefined) throw redactAxiosError(error, []);
    if (error.response?.status === 401 && !config[RETRIED] && carriedToken(error, token)) {
      this.tokens.invalidate(token);
      config[RETRIED] = true;
      return instance.request(config);
    }
    throw redactAxiosError(error, [token]);
  }
}

/** The token the request was sent with, read back from its header. */
function sentToken(config: InternalAxiosRequestConfig): string | undefined {
  const header = config.headers.get('Authorization');
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/**
 * Whether the request that met the error still carried `token`: after a redirect to another
 * origin it did not, and that origin's 401 says nothing about the token. Adapters other than Node's
 * keep no header table; there the 401 is taken at its word.
 */
function carriedToken(error: AxiosError, token: string): boolean {
  const request = error.response?.request as { getHeader?(name: string): unknown } | undefined;
  if (typeof request?.getHeader !== 'function') return true;
  return request.getHeader('authorization') === `Bearer ${token}`;
}
