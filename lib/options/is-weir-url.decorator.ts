import { ValidateBy, type ValidationOptions } from 'class-validator';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** @internal Whether `hostname` (as `URL` spells it) is a loopback host: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * @internal An absolute URL that is safe to send credentials to: `https`, or `http` to a loopback
 * host only, with no user info, query or fragment.
 */
export function isWeirUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** @internal */
export function IsWeirUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWeirUrl',
      validator: {
        validate: isWeirUrl,
        defaultMessage: () =>
          '$property must be an absolute https URL (http only for localhost, 127.0.0.0/8 or ::1), without credentials, query or fragment',
      },
    },
    options,
  );
}
