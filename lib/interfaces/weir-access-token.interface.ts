/**
 * A bearer token issued by `POST /auth/token`.
 *
 * Objects handed out by the package print `accessToken` as `[REDACTED]` under `util.inspect`,
 * `console.log` and `JSON.stringify`, so a token logged by mistake is not a leak; read the property
 * itself to use it.
 */
export interface WeirAccessToken {
  /** The bearer token, to be sent as `Authorization: Bearer <accessToken>`. */
  readonly accessToken: string;
  /** The token type as issued; always Bearer (the case the server used is kept). */
  readonly tokenType: string;
  /** Lifetime in seconds, as issued by the server. */
  readonly expiresIn: number;
  /** When the token expires, counted from the moment its request was sent. */
  readonly expiresAt: Date;
}
