/** @internal A token answer that passed validation. */
export interface ValidTokenResponse {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresIn: number;
}

/** @internal The vendor's error envelope, as far as it could be read. */
export interface VendorError {
  readonly code?: string;
  readonly message?: string;
}

/**
 * @internal Checks a success answer against the vendor doc: `status: "success"`, a non-empty string
 * `accessToken`, a finite positive `expiresIn`, a `tokenType` of Bearer in any case. Returns the
 * reason it is not valid as a string, never echoing the body (it may hold a token).
 */
export function validateTokenResponse(body: unknown): ValidTokenResponse | string {
  if (!isRecord(body)) return 'the body is not a JSON object';
  if (body.status !== 'success') return 'status is not "success"';
  const data = body.data;
  if (!isRecord(data)) return 'data is missing';
  const { accessToken, expiresIn, tokenType } = data;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    return 'data.accessToken is not a non-empty string';
  }
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    return 'data.expiresIn is not a finite positive number';
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    return 'data.tokenType is not Bearer';
  }
  return { accessToken, tokenType, expiresIn };
}

/** @internal Reads `{ error: { code, message } }` from an error answer, if it has that shape. */
export function readVendorError(body: unknown): VendorError {
  if (!isRecord(body) || !isRecord(body.error)) return {};
  const { code, message } = body.error;
  return {
    code:
      typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{1,63}$/.test(code) ? code : undefined,
    // A proxy that echoes the request could put our Authorization header in its message.
    message:
      typeof message === 'string'
        ? message.replace(/\b(basic|bearer)\s+\S+/gi, '$1 [REDACTED]').slice(0, 200)
        : undefined,
  };
}

/** @internal JSON.parse that answers undefined instead of throwing (HTML error pages, truncations). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
