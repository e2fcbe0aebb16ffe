import type { AxiosResponseHeaders, RawAxiosResponseHeaders } from 'axios';

type Headers = RawAxiosResponseHeaders | AxiosResponseHeaders;

/**
 * @internal How long the server asks us to wait, in ms, read from every header form in use:
 * `Retry-After` (seconds or HTTP-date), `X-RateLimit-Reset` (seconds, or an epoch instant),
 * `RateLimit-Reset` and the IETF structured `RateLimit: ...;t=N`. With `onlyWhenExhausted`, reset
 * headers count only when the matching `Remaining` says 0 (a success that spent the last request).
 * Returns the longest wait any of them asks for, or undefined when none does.
 */
export function serverRequestedWaitMs(
  headers: Headers,
  wallNow: number,
  onlyWhenExhausted = false,
): number | undefined {
  const waits: number[] = [];
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), wallNow);
  if (retryAfter !== undefined && !onlyWhenExhausted) waits.push(retryAfter);

  const xRemaining = numberOf(header(headers, 'x-ratelimit-remaining'));
  if (!onlyWhenExhausted || xRemaining === 0) {
    const reset = parseReset(header(headers, 'x-ratelimit-reset'), wallNow);
    if (reset !== undefined) waits.push(reset);
  }
  const ietfRemaining = numberOf(header(headers, 'ratelimit-remaining'));
  if (!onlyWhenExhausted || ietfRemaining === 0) {
    const reset = numberOf(header(headers, 'ratelimit-reset'));
    if (reset !== undefined && reset >= 0) waits.push(reset * 1000);
  }
  const structured = parseStructuredRateLimit(header(headers, 'ratelimit'));
  if (
    structured &&
    (!onlyWhenExhausted || structured.remaining === 0) &&
    structured.resetSeconds !== undefined
  ) {
    waits.push(structured.resetSeconds * 1000);
  }
  return waits.length > 0 ? Math.max(...waits) : undefined;
}

/** `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, wallNow: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = numberOf(value);
  if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
  // Every HTTP-date form starts with a day name; Date.parse alone reads '-5' as a date in 2001 (no wait).
  if (!HTTP_DATE_START.test(value.trim())) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - wallNow);
}

const HTTP_DATE_START = /^(mon|tue|wed|thu|fri|sat|sun)/i;

// Servers disagree on X-RateLimit-Reset: seconds to wait, or the reset instant in epoch s or ms.
function parseReset(value: string | undefined, wallNow: number): number | undefined {
  const seconds = numberOf(value);
  if (seconds === undefined || seconds < 0) return undefined;
  if (seconds > 100_000_000_000) return Math.max(0, seconds - wallNow); // an epoch in milliseconds
  if (seconds > 1_000_000_000) return Math.max(0, seconds * 1000 - wallNow); // an epoch in seconds
  return seconds * 1000;
}

// draft-ietf-httpapi-ratelimit-headers: `RateLimit: "default";r=0;t=30` (remaining r, reset t).
function parseStructuredRateLimit(
  value: string | undefined,
): { remaining?: number; resetSeconds?: number } | undefined {
  if (value === undefined) return undefined;
  const params = new Map(
    value
      .split(';')
      .map((part) => part.trim().split('='))
      .filter((pair): pair is [string, string] => pair.length === 2),
  );
  return { remaining: numberOf(params.get('r')), resetSeconds: numberOf(params.get('t')) };
}

function header(headers: Headers, name: string): string | undefined {
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return value[0] === undefined ? undefined : String(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
