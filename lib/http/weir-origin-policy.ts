import type { AxiosRequestConfig } from 'axios';

// axios's own test (lib/helpers/isAbsoluteURL.js): `scheme://` or protocol-relative `//`.
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * @internal Decides which URLs may receive the bearer token: those whose origin is allowed.
 *
 * A request's URL is resolved the way axios resolves it (`buildFullPath`: a relative `url`, or any
 * `url` when `allowAbsoluteUrls` is false, is appended to `baseURL`; otherwise `url` alone counts)
 * and parsed the way its Node adapter parses it (`new URL(fullPath)`, no base), so the origin judged
 * is the one the request will reach. What Node cannot parse (a protocol-relative URL among them)
 * never gets the token.
 */
export class WeirOriginPolicy {
  readonly #allowedOrigins: ReadonlySet<string>;
  // Nearly every request shares one baseURL: remembering its verdict spares a URL parse per call.
  #lastBaseUrl: string | undefined;
  #lastBaseUrlAllowed = false;

  constructor(allowedOrigins: readonly string[]) {
    this.#allowedOrigins = new Set(allowedOrigins);
  }

  /** Whether the request described by `config` goes to an allowed origin. */
  allowsRequest(config: AxiosRequestConfig): boolean {
    // The connection goes to a local socket, whatever host the URL names.
    if (config.socketPath) return false;
    const { baseURL, url } = config;
    const relative = typeof url !== 'string' || !ABSOLUTE_URL.test(url);
    if (baseURL && (relative || config.allowAbsoluteUrls === false)) {
      // axios joins them with a '/', so the path cannot move the origin: baseURL's is the one.
      return this.#allowsBaseUrl(baseURL);
    }
    return typeof url === 'string' && this.allowsUrl(url);
  }

  /** Whether the absolute URL `href` has an allowed origin. */
  allowsUrl(href: string): boolean {
    let origin: string;
    try {
      origin = new URL(href).origin;
    } catch {
      return false;
    }
    return this.#allowedOrigins.has(origin);
  }

  #allowsBaseUrl(baseUrl: string): boolean {
    if (baseUrl !== this.#lastBaseUrl) {
      this.#lastBaseUrlAllowed = this.allowsUrl(baseUrl);
      this.#lastBaseUrl = baseUrl;
    }
    return this.#lastBaseUrlAllowed;
  }
}
