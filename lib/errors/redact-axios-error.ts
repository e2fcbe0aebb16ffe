import { AxiosHeaders, type AxiosError } from 'axios';

/** What credentials are replaced with. */
const REDACTED = '[REDACTED]';

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'] as const;
const CREDENTIAL_HEADER_LINE = /^((?:proxy-)?authorization:[ \t]*)(\S+ )?.*$/gim;

/** The parts of a Node `ClientRequest` (and of follow-redirects' wrapper) that keep headers. */
interface RequestLike {
  _header?: string | null;
  outputData?: Array<{ data?: unknown }>;
  hasHeader?(name: string): boolean;
  getHeader?(name: string): unknown;
  setHeader?(name: string, value: string): unknown;
  socket?: { _pendingData?: unknown } | null;
  _options?: { headers?: unknown };
  _redirectable?: unknown;
  _currentRequest?: unknown;
}

/**
 * @internal Scrubs credentials from an axios error in place and returns it.
 *
 * Credential headers keep their scheme and lose their value (`Bearer [REDACTED]`) in the request
 * configuration, in the raw header text and header table of the Node request, in follow-redirects'
 * wrapper around it, and in the response's copies of both; each of `secrets` is replaced by
 * `[REDACTED]` in the messages and stacks. The objects stay what they were, so code that reads
 * `error.response.status` or `error.request.path` keeps working.
 */
export function redactAxiosError<E extends AxiosError>(error: E, secrets: readonly string[]): E {
  scrubErrorText(error, secrets);
  if (error.cause instanceof Error) scrubErrorText(error.cause, secrets);
  redactHeaderBag(error.config?.headers);
  const seen = new WeakSet<object>();
  redactRequest(error.request, secrets, seen);
  if (error.response) {
    redactHeaderBag(error.response.config?.headers);
    redactRequest(error.response.request, secrets, seen);
  }
  return error;
}

function scrubErrorText(error: Error, secrets: readonly string[]): void {
  error.message = scrubText(error.message, secrets);
  if (typeof error.stack === 'string') error.stack = scrubText(error.stack, secrets);
}

function scrubText(text: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (scrubbed, secret) => (secret ? scrubbed.split(secret).join(REDACTED) : scrubbed),
    text,
  );
}

function redactCredential(value: unknown): string {
  const text = String(value);
  const space = text.indexOf(' ');
  return space > 0 ? `${text.slice(0, space + 1)}${REDACTED}` : REDACTED;
}

function redactHeaderBag(headers: unknown): void {
  if (headers instanceof AxiosHeaders) {
    for (const name of CREDENTIAL_HEADERS) {
      if (headers.has(name)) headers.set(name, redactCredential(headers.get(name)));
    }
  } else if (typeof headers === 'object' && headers !== null) {
    const record = headers as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      if ((CREDENTIAL_HEADERS as readonly string[]).includes(name.toLowerCase())) {
        record[name] = redactCredential(record[name]);
      }
    }
  }
}

function redactRequest(value: unknown, secrets: readonly string[], seen: WeakSet<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  const request = value as RequestLike;
  redactNodeRequest(request, secrets);
  redactHeaderBag(request._options?.headers);
  redactRequest(request._redirectable, secrets, seen);
  redactRequest(request._currentRequest, secrets, seen);
}

function redactNodeRequest(request: RequestLike, secrets: readonly string[]): void {
  const rawHeader = request._header;
  if (typeof rawHeader !== 'string') return;
  const redactedHeader = scrubRawHttp(rawHeader, secrets);
  // Node refuses setHeader() once the header text exists; the request is over, so the text is
  // set aside for the rewrite of the header table, then put back redacted.
  request._header = null;
  try {
    for (const name of CREDENTIAL_HEADERS) {
      if (request.hasHeader?.(name))
        request.setHeader?.(name, redactCredential(request.getHeader?.(name)));
    }
  } finally {
    request._header = redactedHeader;
  }
  scrubQueuedWrites(request, secrets);
}

/** A request that never got a connection still has its header text queued, here or on its socket. */
function scrubQueuedWrites(request: RequestLike, secrets: readonly string[]): void {
  for (const chunk of request.outputData ?? []) {
    if (typeof chunk.data === 'string') chunk.data = scrubRawHttp(chunk.data, secrets);
  }
  const socket = request.socket;
  if (typeof socket?._pendingData === 'string') {
    socket._pendingData = scrubRawHttp(socket._pendingData, secrets);
  } else if (Array.isArray(socket?._pendingData)) {
    for (const write of socket._pendingData as Array<{ chunk?: unknown }>) {
      if (typeof write.chunk === 'string') write.chunk = scrubRawHttp(write.chunk, secrets);
    }
  }
}

function scrubRawHttp(text: string, secrets: readonly string[]): string {
  return scrubText(text.replace(CREDENTIAL_HEADER_LINE, `$1$2${REDACTED}`), secrets);
}
