/** @internal What a probe reports when the token service has not answered in time. */
export class HealthProbeTimeoutError extends Error {
  override readonly name = 'HealthProbeTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`No token within the health probe timeout of ${timeoutMs} ms`);
  }
}

/**
 * @internal Settles as `promise` does, or rejects with `HealthProbeTimeoutError` after `timeoutMs`.
 * `promise` itself runs on: a token that arrives late is still cached for the next probe.
 */
export function withProbeTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HealthProbeTimeoutError(timeoutMs)), timeoutMs);
    // A pending probe must not keep the process (or a test run) alive.
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
