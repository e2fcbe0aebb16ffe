import { inspect } from 'node:util';

/**
 * @internal The client id and secret key, with the secret kept in a private field so that
 * `util.inspect`, `console.log` and `JSON.stringify` of anything holding it show only the id.
 */
export class WeirCredentials {
  readonly #secretKey: string;

  constructor(
    readonly clientId: string,
    secretKey: string,
  ) {
    this.#secretKey = secretKey;
  }

  /** The `Authorization` header value of the token request. */
  basicAuthorization(): string {
    return `Basic ${Buffer.from(`${this.clientId}:${this.#secretKey}`, 'utf8').toString('base64')}`;
  }

  /** Runs `use` with the secret, for key derivation; the secret never leaves this module otherwise. */
  withSecret<T>(use: (secretKey: string) => T): T {
    return use(this.#secretKey);
  }

  toJSON(): Record<string, string> {
    return { clientId: this.clientId, secretKey: '[REDACTED]' };
  }

  [inspect.custom](): string {
    return `WeirCredentials { clientId: ${inspect(this.clientId)}, secretKey: '[REDACTED]' }`;
  }
}
