import { AxiosError } from 'axios';
import { inspect } from 'node:util';

/** The AxiosError `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<AxiosError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AxiosError)) {
    throw new Error(`expected an AxiosError, got ${inspect(error)}`);
  }
  return error;
}
