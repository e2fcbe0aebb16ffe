import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * One sliding rate-limit window: a client may make at most `limit` token requests in any span of
 * `windowMs` milliseconds.
 */
export interface FakeWeirRateLimit {
  /** Token requests a client may make within the window (a positive integer). */
  readonly limit: number;
  /** Length of the window in milliseconds (a positive integer). */
  readonly windowMs: number;
}

/** Options of {@link FakeWeirServer.start}; every field has a default. */
export interface FakeWeirServerOptions {
  /** Client ID the server accepts. Defaults to `'test-client'`. */
  readonly clientId?: string;
  /** Secret key the server accepts. Defaults to `'test-secret'`. */
  readonly secretKey?: string;
  /** Lifetime in seconds of the tokens issued, reported as `expiresIn`. Defaults to `3600`. */
  readonly expiresIn?: number;
  /**
   * Real-time delay in milliseconds before every answer is sent. Defaults to `0`. Requests are
   * judged on arrival, so latency eats into a token's lifetime as a slow network would.
   */
  readonly latencyMs?: number;
  /**
   * Sliding windows enforced per client ID on the token endpoints. Defaults to the vendor's limits:
   * 10 requests per minute and 20 per 5 minutes. An empty array disables rate limiting.
   */
  readonly rateLimits?: readonly FakeWeirRateLimit[];
  /**
   * Wall clock in epoch milliseconds, used for rate windows, token issue and expiry, and
   * {@link FakeWeirRecordedRequest.receivedAt}. Inject one to move time in tests instead of
   * waiting. Defaults to `Date.now`. Latency is always real time.
   */
  readonly now?: () => number;
}

/**
 * A scripted misbehaviour of the token endpoints, queued with {@link FakeWeirServer.fail}.
 *
 * A faulted request skips authentication and rate limiting, as if a proxy or an outage answered
 * in place of the vendor's logic: it is counted in {@link FakeWeirServer.tokenRequests} but not in
 * any rate window.
 */
export type FakeWeirFault =
  | {
      /** Answer with an arbitrary HTTP status, e.g. 500, 503, or 429 with a `Retry-After`. */
      readonly kind: 'status';
      /** HTTP status, 200 to 599. */
      readonly status: number;
      /**
       * Body to send: a string is sent verbatim (so it can be malformed JSON), anything else as
       * JSON. Defaults to a vendor-style error envelope whose code is the status's reason phrase,
       * e.g. `SERVICE_UNAVAILABLE`.
       */
      readonly body?: unknown;
      /** Extra response headers, e.g. `{ 'Retry-After': '30' }`; they override the defaults. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      /** Answer 429 with the vendor's `RATE_LIMIT_EXCEEDED` envelope and a `Retry-After` header. */
      readonly kind: 'rate-limit';
      /** Value of `Retry-After` and `X-RateLimit-Reset`, in whole seconds. Defaults to `60`. */
      readonly retryAfterSeconds?: number;
    }
  | {
      /** Answer 200 with an HTML page, as a captive portal or misrouted proxy would. */
      readonly kind: 'html';
    }
  | {
      /** Answer 200 with a JSON body of the test's choosing, e.g. a wrong shape. */
      readonly kind: 'body';
      /** Body to send: a string is sent verbatim, anything else as JSON. */
      readonly body: unknown;
    }
  | {
      /**
       * Answer 200 with a body of exactly `bytes` bytes (announced in `Content-Length`). It is a
       * well-formed vendor success response with a padded token when `bytes` allows, so only a
       * client that bounds response sizes rejects it.
       */
      readonly kind: 'oversized';
      /** Size of the body in bytes (a non-negative integer). */
      readonly bytes: number;
    }
  | {
      /** Accept the request and never answer; the socket is closed by {@link FakeWeirServer.close}. */
      readonly kind: 'hang';
    }
  | {
      /** Reset the connection (TCP RST) instead of answering. */
      readonly kind: 'reset';
    };

/** Options of {@link FakeWeirServer.fail}. */
export interface FakeWeirFailOptions {
  /** How many of the next token requests get the fault: a positive integer or `Infinity`. Defaults to `1`. */
  readonly times?: number;
}

/** A request received by the server, in any route. */
export interface FakeWeirRecordedRequest {
  /** HTTP method, e.g. `'POST'`. */
  readonly method: string;
  /** Request target as sent: path and query string, e.g. `'/v1/echo?x=1'`. */
  readonly path: string;
  /** Request headers, names lower-cased; repeated headers are joined with `', '`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Arrival time in epoch milliseconds, read from the server's clock (`now`). */
  readonly receivedAt: number;
}

const DEFAULT_RATE_LIMITS: readonly FakeWeirRateLimit[] = [
  { limit: 10, windowMs: 60_000 },
  { limit: 20, windowMs: 300_000 },
];
const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** Request bodies are read only to be discarded (or parsed, for OAuth2), so they are kept small. */
const MAX_REQUEST_BODY_BYTES = 64 * 1024;

const VENDOR_TOKEN_PATH = '/auth/token';
const OAUTH2_TOKEN_PATH = '/oauth2/token';
const PROTECTED_PREFIX = '/v1/';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
} as const;

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Weir</title></head>' +
  '<body><h1>Service temporarily unavailable</h1></body></html>';

type Headers = Readonly<Record<string, string>>;

/** What the server does with a request once it has decided. */
type Outcome =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly headers: Headers;
      /** A string is sent whole; chunks are streamed, with `Content-Length` in `headers`. */
      readonly body: string | Iterable<Buffer>;
    }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

interface IssuedToken {
  readonly issuedAt: number;
  readonly expiresAt: number;
  revoked: boolean;
}

/** A token request that passed authentication: either granted a token, or refused by a window. */
type Grant =
  | { readonly granted: true; readonly accessToken: string; readonly headers: Headers }
  | { readonly granted: false; readonly details: string; readonly headers: Headers };

/**
 * A local, in-process stand-in for the Weir API, speaking real HTTP on `127.0.0.1` at an ephemeral
 * port. It implements `POST /auth/token` as the vendor documents it (Basic client credentials, the
 * success and error envelopes, the per-client rate limits), a protected `/v1/*` resource that
 * checks the bearer tokens it issued, and a standard OAuth2 client-credentials endpoint
 * (`POST /oauth2/token`) sharing the same token pool and rate limits. Faults can be scripted to
 * test how clients cope with outages, throttling, garbage and dead connections.
 *
 * Decisions where the vendor's documentation is silent:
 * - `INVALID_CREDENTIALS` is answered with 401 and `RATE_LIMIT_EXCEEDED` with 429.
 * - Rate windows slide, per client ID, and count every authenticated token request, refused ones
 *   included, so a client that ignores `Retry-After` stays locked out.
 * - Answers to authenticated token requests carry `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 *   `X-RateLimit-Reset` for the tightest window; `Reset` is the number of seconds until that window
 *   frees a slot, which on a 429 equals `Retry-After` (whole seconds, rounded up).
 * - A token request with any other method than POST is answered 405; unknown routes 404
 *   (`NOT_FOUND`); request bodies over 64 KiB 413 (`PAYLOAD_TOO_LARGE`).
 *
 * The server never logs.
 *
 * @example
 * ```ts
 * const weir = await FakeWeirServer.start({ expiresIn: 60 });
 * // point the client under test at weir.url, with clientId 'test-client' / secretKey 'test-secret'
 * weir.fail({ kind: 'status', status: 503 });
 * // ...
 * await weir.close();
 * ```
 */
export class FakeWeirServer {
  private readonly server: Server;
  /** Aborts pending latency delays when the server closes. */
  private readonly closing = new AbortController();
  private readonly now: () => number;
  private readonly limiter: SlidingWindowLimiter;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly faults = new FaultQueue();
  /** Signs the JWT-looking tokens; only for realism, the server looks tokens up rather than verifying them. */
  private readonly signingKey = randomBytes(32);
  private clientId: string;
  private secretKey: string;
  private expiresIn: number;
  private latencyMs: number;
  private port = 0;
  private closed: Promise<void> | undefined;
  private recorded: FakeWeirRecordedRequest[] = [];
  private tokenRequestCount = 0;
  private issuedTokenCount = 0;
  private protectedRequestCount = 0;

  private constructor(options: FakeWeirServerOptions) {
    this.clientId = checkClientId(options.clientId ?? 'test-client');
    this.secretKey = checkSecretKey(options.secretKey ?? 'test-secret');
    this.expiresIn = checkNonNegative('expiresIn', options.expiresIn ?? 3600);
    this.latencyMs = checkNonNegative('latencyMs', options.latencyMs ?? 0);
    this.limiter = new SlidingWindowLimiter(
      (options.rateLimits ?? DEFAULT_RATE_LIMITS).map(checkRateLimit),
    );
    this.now = options.now ?? Date.now;
    // Every answer delayed by latencyMs listens on this signal; a herd of them is expected.
    setMaxListeners(Infinity, this.closing.signal);
    this.server = createServer((req, res) => {
      // Whatever goes wrong mid-answer (client gone, server closing), the only sane end is a closed socket.
      this.handle(req, res).catch(() => req.socket.destroy());
    });
  }

  /**
   * Starts a server listening on `127.0.0.1` at an ephemeral port.
   *
   * @param options - credentials, token lifetime, latency, rate limits and clock; all optional.
   * @returns the listening server; call {@link FakeWeirServer.close} when done.
   * @throws RangeError when an option is out of range (e.g. a negative `expiresIn`).
   */
  static async start(options: FakeWeirServerOptions = {}): Promise<FakeWeirServer> {
    const fake = new FakeWeirServer(options);
    await fake.listen();
    return fake;
  }

  /** Base URL of the server, e.g. `'http://127.0.0.1:54321'`, without a trailing slash. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Same as {@link FakeWeirServer.url}. */
  get origin(): string {
    return this.url;
  }

  /** Number of `POST /auth/token` and `POST /oauth2/token` requests received, rejected and faulted ones included. */
  get tokenRequests(): number {
    return this.tokenRequestCount;
  }

  /** Number of access tokens issued, on either token endpoint. */
  get issuedTokens(): number {
    return this.issuedTokenCount;
  }

  /** Number of requests to the protected `/v1/*` routes, rejected ones included. */
  get protectedRequests(): number {
    return this.protectedRequestCount;
  }

  /** Snapshot of every request received so far, in arrival order. */
  get requests(): readonly FakeWeirRecordedRequest[] {
    return [...this.recorded];
  }

  /**
   * Scripts a fault for the next token requests (on either token endpoint). Faults queue up in
   * the order they are scripted: `fail(a, { times: 2 }); fail(b)` serves a, a, then b.
   *
   * @param fault - what to do instead of answering normally.
   * @param options - `times`: how many requests get it (default 1; `Infinity` for all).
   * @throws RangeError when the fault or `times` is out of range.
   */
  fail(fault: FakeWeirFault, options: FakeWeirFailOptions = {}): void {
    this.faults.add(checkFault(fault), checkTimes(options.times ?? 1));
  }

  /** Drops every fault still queued by {@link FakeWeirServer.fail}. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Sets the lifetime of the tokens issued from now on; tokens already issued keep theirs.
   *
   * @param seconds - a non-negative number of seconds.
   */
  setExpiresIn(seconds: number): void {
    this.expiresIn = checkNonNegative('expiresIn', seconds);
  }

  /**
   * Sets the real-time delay before every answer, from now on.
   *
   * @param ms - a non-negative number of milliseconds.
   */
  setLatency(ms: number): void {
    this.latencyMs = checkNonNegative('latencyMs', ms);
  }

  /**
   * Replaces the accepted credentials, as a rotation would; tokens already issued stay valid.
   *
   * @param clientId - the new client ID (non-empty, without `:`).
   * @param secretKey - the new secret key.
   */
  setCredentials(clientId: string, secretKey: string): void {
    this.clientId = checkClientId(clientId);
    this.secretKey = checkSecretKey(secretKey);
  }

  /**
   * Revokes an issued token early, so the protected routes reject it, or every token issued so
   * far when `accessToken` is omitted. Tokens issued afterwards are valid.
   *
   * @param accessToken - the token to revoke; all tokens when omitted.
   * @returns the number of tokens newly revoked (0 for an unknown or already revoked token).
   */
  revoke(accessToken?: string): number {
    const targets =
      accessToken === undefined ? [...this.tokens.values()] : [this.tokens.get(accessToken)];
    let revoked = 0;
    for (const token of targets) {
      if (token && !token.revoked) {
        token.revoked = true;
        revoked++;
      }
    }
    return revoked;
  }

  /**
   * Zeroes the counters, forgets the recorded requests and clears the rate windows, so a server
   * shared between tests starts each one within its limits. Issued tokens, queued faults and
   * settings are kept.
   */
  resetCounters(): void {
    this.tokenRequestCount = 0;
    this.issuedTokenCount = 0;
    this.protectedRequestCount = 0;
    this.recorded = [];
    this.limiter.clear();
  }

  /**
   * Stops the server: closes every connection, keep-alive and hung ones included, and drops
   * pending answers. Safe to call more than once.
   *
   * @returns a promise that resolves once the server is closed.
   */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.closing.abort();
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = this.now();
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', 'http://fake-weir.invalid');
    const path = target.pathname + target.search;
    this.recorded.push({ method, path, headers: flattenHeaders(req.headers), receivedAt: at });

    const tokenEndpoint =
      target.pathname === VENDOR_TOKEN_PATH || target.pathname === OAUTH2_TOKEN_PATH;
    const isTokenRequest = tokenEndpoint && method === 'POST';
    if (isTokenRequest) this.tokenRequestCount++;
    const isProtected = target.pathname.startsWith(PROTECTED_PREFIX);
    if (isProtected) this.protectedRequestCount++;
    // Claimed on arrival, so concurrent requests take the faults in the order they reached the server.
    const fault = isTokenRequest ? this.faults.take() : undefined;

    const body = await readBoundedBody(req);
    let outcome: Outcome;
    if (fault) outcome = faultOutcome(fault, this.limiter.headlineWindow);
    else if (body === undefined) outcome = payloadTooLarge();
    else if (tokenEndpoint && !isTokenRequest) outcome = methodNotAllowed(method, target.pathname);
    else if (target.pathname === VENDOR_TOKEN_PATH) outcome = this.vendorToken(req, at);
    else if (target.pathname === OAUTH2_TOKEN_PATH) outcome = this.oauth2Token(req, body, at);
    else if (isProtected) outcome = this.protectedResource(req, method, path, at);
    else outcome = notFound(method, target.pathname);
    await this.deliver(req, res, outcome);
  }

  private async deliver(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: Outcome,
  ): Promise<void> {
    // A hung request keeps its socket open until the client gives up or the server closes.
    if (outcome.kind === 'hang') return;
    if (this.latencyMs > 0) await delay(this.latencyMs, undefined, { signal: this.closing.signal });
    if (outcome.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(outcome.status, outcome.headers);
    if (typeof outcome.body === 'string') res.end(outcome.body);
    else await pipeline(Readable.from(outcome.body), res);
  }

  private vendorToken(req: IncomingMessage, at: number): Outcome {
    const credentials = parseBasic(req.headers.authorization);
    if (!credentials || !this.accepts(credentials.user, credentials.password)) {
      return json(401, INVALID_CREDENTIALS);
    }
    const grant = this.grant(credentials.user, at);
    if (!grant.granted) return json(429, rateLimitEnvelope(grant.details), grant.headers);
    const data = { accessToken: grant.accessToken, expiresIn: this.expiresIn, tokenType: 'Bearer' };
    return json(
      200,
      { data, message: 'Access token generated successfully', status: 'success' },
      grant.headers,
    );
  }

  /** RFC 6749 §4.4 client-credentials grant, with client authentication per §2.3.1. */
  private oauth2Token(req: IncomingMessage, body: Buffer, at: number): Outcome {
    if (!isFormContentType(req.headers['content-type'])) return oauth2Error(400, 'invalid_request');
    const form = new URLSearchParams(body.toString('utf8'));
    const grantType = form.get('grant_type');
    if (!grantType) return oauth2Error(400, 'invalid_request');
    if (grantType !== 'client_credentials') return oauth2Error(400, 'unsupported_grant_type');

    const basic = parseBasic(req.headers.authorization);
    const inBody = form.has('client_id') || form.has('client_secret');
    // §2.3: a client must not use more than one authentication method per request.
    if (basic && inBody) return oauth2Error(400, 'invalid_request');
    const clientId = basic ? formDecode(basic.user) : form.get('client_id');
    const secret = basic ? formDecode(basic.password) : form.get('client_secret');
    if (clientId == null || secret == null || !this.accepts(clientId, secret)) {
      return oauth2Error(401, 'invalid_client', { 'www-authenticate': 'Basic realm="weir"' });
    }

    const grant = this.grant(clientId, at);
    if (!grant.granted) {
      return json(
        429,
        { error: 'too_many_requests', error_description: grant.details },
        { ...grant.headers, pragma: 'no-cache' },
      );
    }
    return json(
      200,
      { access_token: grant.accessToken, token_type: 'Bearer', expires_in: this.expiresIn },
      { ...grant.headers, pragma: 'no-cache' },
    );
  }

  private protectedResource(req: IncomingMessage, method: string, path: string, at: number) {
    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (!token || token.revoked || at >= token.expiresAt) {
      const details = tokenProblem(bearer, token);
      return json(401, vendorError('INVALID_TOKEN', 'Invalid or expired access token', details), {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    return json(200, { ok: true, path, method, tokenIssuedAt: token.issuedAt });
  }

  private accepts(clientId: string, secretKey: string): boolean {
    return clientId === this.clientId && secretKey === this.secretKey;
  }

  /** Counts an authenticated token request against the client's windows and issues a token if they allow. */
  private grant(clientId: string, at: number): Grant {
    const verdict = this.limiter.hit(clientId, at);
    if (verdict && !verdict.allowed) {
      const headers = { ...verdict.headers, 'retry-after': verdict.headers['x-ratelimit-reset'] };
      return { granted: false, details: verdict.details, headers };
    }
    return {
      granted: true,
      accessToken: this.issue(clientId, at),
      headers: verdict?.headers ?? {},
    };
  }

  private issue(clientId: string, at: number): string {
    const accessToken = mintJwtLike(this.signingKey, {
      sub: clientId,
      iat: Math.floor(at / 1000),
      jti: randomUUID(),
    });
    this.tokens.set(accessToken, {
      issuedAt: at,
      expiresAt: at + this.expiresIn * 1000,
      revoked: false,
    });
    this.issuedTokenCount++;
    return accessToken;
  }
}

/** How one client's request fared against the windows, and the headers that tell it. */
interface RateVerdict {
  readonly allowed: boolean;
  /** Vendor-style description of the tightest window, e.g. `Rate limit of 10 requests per minute exceeded`. */
  readonly details: string;
  readonly headers: Headers;
}

/** Sliding-window limits over the token requests of each client. */
class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly longestMs: number;

  constructor(private readonly windows: readonly FakeWeirRateLimit[]) {
    this.longestMs = Math.max(0, ...windows.map((window) => window.windowMs));
  }

  /** The window quoted by scripted rate-limit faults: the first configured, else the vendor's. */
  get headlineWindow(): FakeWeirRateLimit {
    return this.windows[0] ?? DEFAULT_RATE_LIMITS[0];
  }

  /**
   * Records a request of `clientId` at `at`, whether or not it is allowed, and judges it.
   * Returns undefined when no window is configured.
   */
  hit(clientId: string, at: number): RateVerdict | undefined {
    if (this.windows.length === 0) return undefined;
    const hits = (this.hits.get(clientId) ?? []).filter((hit) => hit > at - this.longestMs);
    const allowed = this.windows.every(
      (window) => inWindow(hits, window, at).length < window.limit,
    );
    hits.push(at);
    // An injected clock may be moved backwards; the arithmetic below needs ascending hits.
    hits.sort((a, b) => a - b);
    this.hits.set(clientId, hits);

    const states = this.windows.map((window) =>
      windowState(inWindow(hits, window, at), window, at),
    );
    // The tightest window leaves the fewest requests, and among those frees a slot last; on a
    // refusal that is the wait before every window admits a request again.
    const tightest = states.reduce((a, b) =>
      b.remaining < a.remaining || (b.remaining === a.remaining && b.resetMs > a.resetMs) ? b : a,
    );
    return {
      allowed,
      details: exceededDetails(tightest.window),
      headers: {
        'x-ratelimit-limit': String(tightest.window.limit),
        'x-ratelimit-remaining': String(tightest.remaining),
        'x-ratelimit-reset': String(Math.ceil(tightest.resetMs / 1000)),
      },
    };
  }

  clear(): void {
    this.hits.clear();
  }
}

function inWindow(hits: readonly number[], window: FakeWeirRateLimit, at: number): number[] {
  return hits.filter((hit) => hit > at - window.windowMs);
}

/**
 * `hits` are ascending and inside the window. The next request fits once only `limit - 1` of them
 * remain, i.e. when hit number `length - limit` leaves; before exhaustion, the oldest hit leaving
 * is what frees the next slot.
 */
function windowState(hits: readonly number[], window: FakeWeirRateLimit, at: number) {
  const freeing = hits.length >= window.limit ? hits[hits.length - window.limit] : hits[0];
  return {
    window,
    remaining: Math.max(0, window.limit - hits.length),
    resetMs: freeing === undefined ? 0 : freeing + window.windowMs - at,
  };
}

/** The vendor's wording, e.g. `Rate limit of 10 requests per minute exceeded`. */
function exceededDetails(window: FakeWeirRateLimit): string {
  return `Rate limit of ${window.limit} requests per ${describeSpan(window.windowMs)} exceeded`;
}

/** `60_000` → `'minute'`, `300_000` → `'5 minutes'`, as the vendor phrases its limits. */
function describeSpan(ms: number): string {
  const units: ReadonlyArray<readonly [number, string]> = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, unit] of units) {
    if (ms % size === 0) return ms === size ? unit : `${ms / size} ${unit}s`;
  }
  return ms === 1 ? 'millisecond' : `${ms} milliseconds`;
}

/** Scripted faults in order, each with the number of requests it still applies to. */
class FaultQueue {
  private queue: Array<{ readonly fault: FakeWeirFault; remaining: number }> = [];

  add(fault: FakeWeirFault, times: number): void {
    this.queue.push({ fault, remaining: times });
  }

  take(): FakeWeirFault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    if (--head.remaining <= 0) this.queue.shift();
    return head.fault;
  }

  clear(): void {
    this.queue = [];
  }
}

// A switch without a default: adding a kind to FakeWeirFault fails to compile until it is handled here.
function faultOutcome(fault: FakeWeirFault, headlineWindow: FakeWeirRateLimit): Outcome {
  switch (fault.kind) {
    case 'status':
      return json(
        fault.status,
        fault.body === undefined ? statusEnvelope(fault.status) : fault.body,
        lowerCaseKeys(fault.headers ?? {}),
      );
    case 'rate-limit': {
      const seconds = String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
      return json(429, rateLimitEnvelope(exceededDetails(headlineWindow)), {
        'retry-after': seconds,
        'x-ratelimit-limit': String(headlineWindow.limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': seconds,
      });
    }
    case 'html':
      return {
        kind: 'reply',
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: HTML_PAGE,
      };
    case 'body':
      return json(200, fault.body);
    case 'oversized':
      return {
        kind: 'reply',
        status: 200,
        headers: { ...JSON_HEADERS, 'content-length': String(fault.bytes) },
        body: oversizedBody(fault.bytes),
      };
    case 'hang':
    case 'reset':
      return { kind: fault.kind };
  }
}

/** Exactly `bytes` ASCII bytes: a valid success envelope around a padded token when big enough. */
function* oversizedBody(bytes: number): Generator<Buffer> {
  const head = '{"data":{"accessToken":"';
  const tail =
    '","expiresIn":3600,"tokenType":"Bearer"},"message":"Access token generated successfully","status":"success"}';
  if (bytes < head.length + tail.length) {
    yield Buffer.from((head + tail).slice(0, bytes));
    return;
  }
  yield Buffer.from(head);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let left = bytes - head.length - tail.length; left > 0; left -= chunk.length) {
    yield left >= chunk.length ? chunk : chunk.subarray(0, left);
  }
  yield Buffer.from(tail);
}

function tokenProblem(bearer: string | undefined, token: IssuedToken | undefined): string {
  if (bearer === undefined) return 'A bearer access token is required';
  if (!token) return 'The access token is unknown';
  return token.revoked ? 'The access token has been revoked' : 'The access token has expired';
}

function mintJwtLike(key: Buffer, claims: Readonly<Record<string, unknown>>): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const encoded = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** OAuth2 form-encodes the client ID and secret before Basic-encoding them (RFC 6749 §2.3.1). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function isFormContentType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Reads the body to discard or parse it, keeping at most {@link MAX_REQUEST_BODY_BYTES}.
 * Resolves undefined when the body is larger.
 */
function readBoundedBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => reject(new Error('request closed before its body ended')));
  });
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function lowerCaseKeys(headers: Headers): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

function vendorError(code: string, message: string, details: string) {
  return { error: { code, message, details }, status: 'error' };
}

const INVALID_CREDENTIALS = vendorError(
  'INVALID_CREDENTIALS',
  'Invalid client credentials',
  'The provided client ID or secret key is invalid',
);

function rateLimitEnvelope(details: string) {
  return vendorError('RATE_LIMIT_EXCEEDED', 'Too many token generation requests', details);
}

/** `503` → `SERVICE_UNAVAILABLE` envelope: a plausible vendor error for any status. */
function statusEnvelope(status: number) {
  const reason = STATUS_CODES[status] ?? `HTTP ${status}`;
  const code = reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return vendorError(code, reason, `Scripted ${status} answer from FakeWeirServer`);
}

/** A string body is sent verbatim (to allow malformed JSON), anything else as JSON. */
function json(status: number, body: unknown, headers: Headers = {}): Outcome {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  return { kind: 'reply', status, headers: { ...JSON_HEADERS, ...headers }, body: text };
}

function oauth2Error(status: number, error: string, headers: Headers = {}): Outcome {
  return json(status, { error }, { ...headers, pragma: 'no-cache' });
}

function notFound(method: string, pathname: string): Outcome {
  return json(
    404,
    vendorError('NOT_FOUND', 'Resource not found', `No route for ${method} ${pathname}`),
  );
}

function methodNotAllowed(method: string, pathname: string): Outcome {
  return json(
    405,
    vendorError(
      'METHOD_NOT_ALLOWED',
      'Method not allowed',
      `${method} ${pathname} is not supported`,
    ),
    { allow: 'POST' },
  );
}

function payloadTooLarge(): Outcome {
  const details = `Request bodies are limited to ${MAX_REQUEST_BODY_BYTES} bytes`;
  // Closing the connection is the only way to skip the rest of a body the server will not read.
  return json(413, vendorError('PAYLOAD_TOO_LARGE', 'Request body too large', details), {
    connection: 'close',
  });
}

function checkNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative finite number, got ${value}`);
  }
  return value;
}

function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function checkClientId(clientId: string): string {
  // Basic authentication cannot carry a colon in the user ID (RFC 7617 §2).
  if (clientId.length === 0 || clientId.includes(':')) {
    throw new RangeError('clientId must be non-empty and must not contain ":"');
  }
  return clientId;
}

function checkSecretKey(secretKey: string): string {
  if (secretKey.length === 0) throw new RangeError('secretKey must be non-empty');
  return secretKey;
}

function checkRateLimit(window: FakeWeirRateLimit): FakeWeirRateLimit {
  checkInteger('rateLimits[].limit', window.limit, 1);
  checkInteger('rateLimits[].windowMs', window.windowMs, 1);
  return { limit: window.limit, windowMs: window.windowMs };
}

function checkTimes(times: number): number {
  return times === Infinity ? times : checkInteger('times', times, 1);
}

function checkFault(fault: FakeWeirFault): FakeWeirFault {
  if (fault.kind === 'status') checkInteger('status', fault.status, 200, 599);
  if (fault.kind === 'rate-limit' && fault.retryAfterSeconds !== undefined) {
    checkInteger('retryAfterSeconds', fault.retryAfterSeconds, 0);
  }
  if (fault.kind === 'oversized') checkInteger('bytes', fault.bytes, 0);
  return fault;
}
