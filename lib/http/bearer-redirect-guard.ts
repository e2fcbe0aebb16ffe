import type { AxiosRequestConfig } from 'axios';
import type { WeirOriginPolicy } from './weir-origin-policy.js';

/** axios's `beforeRedirect` hook, which follow-redirects calls before each new hop. */
type BeforeRedirect = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/**
 * @internal Builds the `beforeRedirect` hooks that keep the bearer token off redirects to origins
 * that are not allowed.
 *
 * axios (same-origin only) and follow-redirects (same host or a subdomain) already drop
 * `Authorization` on such hops; this guard does not rely on either rule staying as it is, nor on a
 * user's own hook leaving the header alone: it runs last.
 */
export class BearerRedirectGuard {
  // Requests without a hook of their own, nearly all of them, share this one function.
  readonly #hook: BeforeRedirect = (options) => this.#strip(options);

  constructor(private readonly policy: WeirOriginPolicy) {}

  /** The hook to install on a request whose own hook is `userHook` (if any). */
  around(userHook: BeforeRedirect | undefined): BeforeRedirect {
    if (userHook === undefined) return this.#hook;
    return (options, responseDetails, requestDetails) => {
      userHook(options, responseDetails, requestDetails);
      this.#strip(options);
    };
  }

  #strip(options: Record<string, unknown>): void {
    const { href, headers } = options;
    if (typeof href === 'string' && this.policy.allowsUrl(href)) return;
    if (typeof headers !== 'object' || headers === null) return;
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'authorization') delete (headers as Record<string, unknown>)[name];
    }
  }
}
