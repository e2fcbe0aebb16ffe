import { inspect } from 'node:util';
import type { WeirAccessToken } from '../interfaces/weir-access-token.interface.js';
import type { WeirStoredToken } from '../interfaces/weir-token-store.interface.js';

const REDACTED = '[REDACTED]';

/**
 * @internal The token objects handed to callers: plain, frozen, and printing `accessToken` as
 * `[REDACTED]` under `util.inspect` and `JSON.stringify`, so logging one by mistake leaks nothing.
 */
export function toWeirAccessToken(stored: WeirStoredToken): WeirAccessToken {
  const token = {
    accessToken: stored.accessToken,
    tokenType: stored.tokenType,
    expiresIn: stored.expiresIn,
    expiresAt: new Date(stored.expiresAt),
  };
  const redacted = () => ({ ...token, accessToken: REDACTED });
  Object.defineProperties(token, {
    toJSON: { value: redacted },
    [inspect.custom]: {
      value: (_depth: number, options: object) => `WeirAccessToken ${inspect(redacted(), options)}`,
    },
  });
  return Object.freeze(token);
}
