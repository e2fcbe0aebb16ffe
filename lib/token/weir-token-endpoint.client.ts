import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { WeirAuthErrorCode } from '../errors/weir-auth-error-code.js';
import { WeirAuthError } from '../errors/weir-auth.error.js';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';
import { serverRequestedWaitMs } from './rate-limit-headers.js';
import {
  parseJson,
  readVendorError,
  validateTokenResponse,
  type ValidTokenResponse,
} from './token-response.js';

/** @internal A token the endpoint issued, and how long the server wants us to pause afterwards. */
export interface TokenEndpointAnswer {
  readonly token: ValidTokenResponse;
  /** Set when the answer's rate-limit headers say the budget is spent. */
  readonly pauseMs?: number;
}

/**
 * @internal Sends the one documented request, `POST {baseUrl}/auth/token` with HTTP Basic, over an
 * axios instance of its own (interceptors an app puts on the global axios never see the secret),
 * and turns every outcome into a token or a `WeirAuthError` that holds nothing of the request.
 */
export class WeirTokenEndpointClient {
  private readonly http: AxiosInstance;
  private readonly pending = new Set<AbortController>();

  constructor(private readonly options: ResolvedWeirAuthOptions) {
    this.http = axios.create({
      timeout: options.requestTimeoutMs,
      maxContentLength: options.maxResponseBytes,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
  }

  async requestToken(): Promise<TokenEndpointAnswer> {
    const controller = new AbortController();
    // axios's own `timeout` only bounds socket inactivity; this bounds the whole exchange.
    const deadline = setTimeout(() => controller.abort('timeout'), this.options.requestTimeoutMs);
    deadline.unref();
    this.pending.add(controller);
    try {
      const response = await this.http.post<string>(this.options.tokenUrl, undefined, {
        headers: {
          Authorization: this.options.credentials.basicAuthorization(),
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        signal: controller.signal,
      });
      return this.readAnswer(response);
    } catch (error) {
      throw error instanceof WeirAuthError
        ? error
        : this.transportError(error, controller.signal.reason);
    } finally {
      clearTimeout(deadline);
      this.pending.delete(controller);
    }
  }

  /** Aborts every request under way: nothing may keep a closing app alive. */
  abortAll(): void {
    for (const controller of this.pending) controller.abort('shutdown');
  }

  private readAnswer(response: AxiosResponse<string>): TokenEndpointAnswer {
    const body = parseJson(response.data);
    const { status } = response;
    if (status >= 200 && status < 300) {
      const token = validateTokenResponse(body);
      if (typeof token === 'string') {
        throw new WeirAuthError({
          code: WeirAuthErrorCode.INVALID_RESPONSE,
          message: `Weir token endpoint answered ${status} with an invalid token: ${token}`,
          status,
        });
      }
      const pauseMs = serverRequestedWaitMs(response.headers, this.options.clock.wallNow(), true);
      return pauseMs ? { token, pauseMs } : { token };
    }
    const vendor = readVendorError(body);
    const code = vendor.code ?? codeForStatus(status);
    const retryAfterMs =
      code === WeirAuthErrorCode.RATE_LIMIT_EXCEEDED || status === 429 || status === 503
        ? serverRequestedWaitMs(response.headers, this.options.clock.wallNow())
        : undefined;
    throw new WeirAuthError({
      code,
      message: `Weir token endpoint answered ${status} ${code}${vendor.message ? `: ${vendor.message}` : ''}`,
      status,
      retryAfterMs,
    });
  }

  private transportError(error: unknown, abortReason: unknown): WeirAuthError {
    const axiosCode = isAxiosError(error) ? error.code : undefined;
    if (abortReason === 'timeout' || axiosCode === 'ECONNABORTED' || axiosCode === 'ETIMEDOUT') {
      return new WeirAuthError({
        code: WeirAuthErrorCode.TIMEOUT,
        message: `Weir token request timed out after ${this.options.requestTimeoutMs} ms`,
      });
    }
    if (abortReason === 'shutdown') return shuttingDownError();
    if (isAxiosError(error) && /maxContentLength/.test(error.message)) {
      return new WeirAuthError({
        code: WeirAuthErrorCode.INVALID_RESPONSE,
        message: `Weir token endpoint answered more than maxResponseBytes (${this.options.maxResponseBytes} bytes)`,
      });
    }
    // Only the error code is kept: the axios error holds the request, and so the Basic header.
    const cause = axiosCode ?? (error instanceof Error ? error.name : 'unknown');
    return new WeirAuthError({
      code: WeirAuthErrorCode.NETWORK_ERROR,
      message: `Weir token endpoint could not be reached (${cause})`,
    });
  }
}

/** @internal What a token request cut short, or never sent, by the module's shutdown fails with. */
export function shuttingDownError(): WeirAuthError {
  return new WeirAuthError({
    code: WeirAuthErrorCode.NETWORK_ERROR,
    message: 'Weir token request aborted: the module is shutting down',
  });
}

function codeForStatus(status: number): string {
  if (status === 401 || status === 403) return WeirAuthErrorCode.INVALID_CREDENTIALS;
  if (status === 429) return WeirAuthErrorCode.RATE_LIMIT_EXCEEDED;
  if (status >= 500) return WeirAuthErrorCode.SERVER_ERROR;
  return WeirAuthErrorCode.INVALID_RESPONSE;
}
