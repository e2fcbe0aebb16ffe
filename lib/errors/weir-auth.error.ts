import { inspect } from 'node:util';
import type { WeirAuthErrorCode } from './weir-auth-error-code.js';

/** What a `WeirAuthError` is made of. */
export interface WeirAuthErrorInit {
  code: WeirAuthErrorCode | (string & {});
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/**
 * The one error type the package throws for token failures.
 *
 * It carries no request, response, header or configuration of the HTTP client, so logging it,
 * inspecting it or serialising it cannot reveal the secret key or a token.
 */
export class WeirAuthError extends Error {
  override readonly name = 'WeirAuthError';
  /** A `WeirAuthErrorCode`, or the vendor's own `error.code` when it sent another one. */
  readonly code: WeirAuthErrorCode | (string & {});
  /** HTTP status of the token endpoint's answer, when there was one. */
  readonly status?: number;
  /** How long to wait before a new token request can succeed, when known. */
  readonly retryAfterMs?: number;

  constructor(init: WeirAuthErrorInit) {
    super(init.message);
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
    };
  }

  [inspect.custom](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n  ${inspect(this.toJSON(), { breakLength: Infinity })}`;
  }
}
