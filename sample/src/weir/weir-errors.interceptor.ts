import {
  BadGatewayException,
  Injectable,
  ServiceUnavailableException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { isAxiosError } from 'axios';
import { WeirAuthError } from 'nestjs-weir-auth';
import { catchError, throwError, type Observable } from 'rxjs';

/**
 * Turns the two ways a call to Weir fails into HTTP answers:
 * - `WeirAuthError`: no token could be had (bad credentials, rate limit, outage) → 503 with its code.
 * - an axios error: the API answered an error, or could not be reached → 502 with its status and body.
 *
 * Neither holds a token or the secret key: the package redacts the axios errors of requests that
 * carried the token, and a WeirAuthError carries no request at all. (`isAxiosError` rather than
 * `instanceof AxiosError`: axios has a CommonJS and an ESM build, each with its own class.)
 */
@Injectable()
export class WeirErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => toHttpError(error))));
  }
}

function toHttpError(error: unknown): unknown {
  if (error instanceof WeirAuthError) {
    const retryAfterSeconds =
      error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
    return new ServiceUnavailableException(
      { statusCode: 503, code: error.code, message: error.message, retryAfterSeconds },
      { cause: error },
    );
  }
  if (isAxiosError(error)) {
    const upstream = error.response;
    return new BadGatewayException(
      upstream
        ? {
            statusCode: 502,
            message: `The Weir API answered ${upstream.status}`,
            upstreamStatus: upstream.status,
            upstreamBody: upstream.data as unknown,
          }
        : { statusCode: 502, message: `The Weir API could not be reached (${error.code})` },
      { cause: error },
    );
  }
  return error;
}
