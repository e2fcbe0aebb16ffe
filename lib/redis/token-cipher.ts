import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { WeirStoredToken } from '../interfaces/weir-token-store.interface.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FINGERPRINT_BYTES = 16;

/**
 * @internal Seals tokens for Redis with AES-256-GCM under the scope's key (derived from the client
 * secret by the core), so whoever reads Redis without the secret gets nothing usable.
 *
 * A sealed value reads `v1.<fingerprint>.<iv>.<ciphertext>.<tag>` (base64url). The fingerprint is
 * an HMAC of the access token: it lets a Lua script delete "only if still this token" without the
 * token in clear. The scope id and the fingerprint are the AAD, so a value cannot be moved to
 * another client's key, nor its fingerprint swapped.
 */
export class TokenCipher {
  readonly #key: Buffer;
  readonly #fingerprintKey: Buffer;
  readonly #scopeId: string;

  constructor(encryptionKey: Buffer, scopeId: string) {
    if (encryptionKey.length !== 32)
      throw new RangeError('The token encryption key must be 32 bytes');
    this.#key = encryptionKey;
    // A key of its own for the fingerprints: one key, one purpose.
    this.#fingerprintKey = Buffer.from(
      hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'nestjs-weir-auth token fingerprint', 32),
    );
    this.#scopeId = scopeId;
  }

  /** What every sealed value of `accessToken` starts with. */
  prefixOf(accessToken: string): string {
    const fingerprint = createHmac('sha256', this.#fingerprintKey)
      .update(accessToken, 'utf8')
      .digest()
      .subarray(0, FINGERPRINT_BYTES)
      .toString('base64url');
    return `${VERSION}.${fingerprint}.`;
  }

  seal(token: WeirStoredToken): string {
    const prefix = this.prefixOf(token.accessToken);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.#aad(prefix));
    const plaintext = JSON.stringify({
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      expiresIn: token.expiresIn,
      obtainedAt: token.obtainedAt,
      expiresAt: token.expiresAt,
    });
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${prefix}${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`;
  }

  /**
   * The token in `sealed`, or `undefined` when it was not sealed with this key for this scope
   * (another secret, tampering, another format): such a value counts as no token at all.
   */
  open(sealed: string): WeirStoredToken | undefined {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
    const [, fingerprint, iv, ciphertext, tag] = parts;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(this.#aad(`${VERSION}.${fingerprint}.`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
      return asStoredToken(JSON.parse(plaintext));
    } catch {
      return undefined;
    }
  }

  [inspect.custom](): string {
    return 'TokenCipher { key: [REDACTED] }';
  }

  #aad(prefix: string): Buffer {
    return Buffer.from(`nestjs-weir-auth:${this.#scopeId}:${prefix}`, 'utf8');
  }
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function asStoredToken(value: unknown): WeirStoredToken | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { accessToken, tokenType, expiresIn, obtainedAt, expiresAt } = value as Record<
    string,
    unknown
  >;
  if (typeof accessToken !== 'string' || typeof tokenType !== 'string') return undefined;
  if (![expiresIn, obtainedAt, expiresAt].every(Number.isFinite)) return undefined;
  return {
    accessToken,
    tokenType,
    expiresIn: expiresIn as number,
    obtainedAt: obtainedAt as number,
    expiresAt: expiresAt as number,
  };
}
