import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import axios from 'axios';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';
import { WEIR_AUTH_RESOLVED_OPTIONS } from '../weir-auth.constants.js';
import { WeirAuthInterceptor } from './weir-auth.interceptor.js';

/**
 * `@nestjs/axios`'s `HttpService` for the Weir API: same methods, the configured Weir base URL as
 * `baseURL`, and the bearer token on every request to an allowed origin (see `WeirAuthInterceptor`).
 *
 * It has an axios instance of its own: the global axios default, which a bare `HttpModule` shares
 * with the whole app, is left alone. Interceptors added to `axiosRef` run before the token is added.
 *
 * @example
 * ```ts
 * constructor(private readonly weir: WeirHttpService) {}
 *
 * echo() {
 *   return firstValueFrom(this.weir.get('/v1/echo'));
 * }
 * ```
 */
@Injectable()
export class WeirHttpService extends HttpService {
  constructor(
    @Inject(WEIR_AUTH_RESOLVED_OPTIONS) options: ResolvedWeirAuthOptions,
    interceptor: WeirAuthInterceptor,
  ) {
    super(axios.create({ baseURL: options.baseUrl }));
    interceptor.attach(this.axiosRef);
  }
}
