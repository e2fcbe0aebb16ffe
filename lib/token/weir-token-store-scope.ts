import { createHash, hkdfSync } from 'node:crypto';
import type { WeirTokenStoreScope } from '../interfaces/weir-token-store.interface.js';
import type { ResolvedWeirAuthOptions } from '../options/resolve-weir-auth-options.js';

/**
 * @internal The scope a store is bound to. The id hashes (base URL, client id) so key names do not
 * reveal the client; the encryption key is derived from the secret, so reading a shared store
 * without the secret yields no usable token. The key is not enumerable: printing the scope
 * (or a store holding it) does not show it.
 */
export function createTokenStoreScope(options: ResolvedWeirAuthOptions): WeirTokenStoreScope {
  const { clientId } = options.credentials;
  const id = createHash('sha256')
    .update(`${options.baseUrl}\n${clientId}`)
    .digest('base64url')
    .slice(0, 32);
  const encryptionKey = options.credentials.withSecret((secretKey) =>
    Buffer.from(hkdfSync('sha256', secretKey, id, 'nestjs-weir-auth token at rest', 32)),
  );
  const scope = { id, rateLimits: options.rateLimits, clock: options.clock } as WeirTokenStoreScope;
  Object.defineProperty(scope, 'encryptionKey', { value: encryptionKey, enumerable: false });
  return Object.freeze(scope);
}
