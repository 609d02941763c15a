/** A promise with its settle functions exposed, for state machines that settle it from event handlers. */

/** A promise and the functions that settle it. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Creates a {@link Deferred}. With `quietRejection` (default true) an early rejection is not reported as
 * unhandled when the owner awaits the promise only later.
 */
export function createDeferred<T>(quietRejection = true): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  if (quietRejection) promise.catch(() => undefined);
  return { promise, resolve, reject };
}
