// Give up a waiting task at once when its signal aborts.
/**
 * Settle with `onAbort()` as soon as `signal` aborts, unless the task already runs: `body` gets `gaveUp()`, which
 * marks the task as started and tells whether it was given up first. @internal
 */
export function abortable<T>(signal: AbortSignal | undefined, onAbort: (() => T) | undefined, body: (gaveUp: () => boolean) => Promise<T>): Promise<T> {
  if (signal === undefined || onAbort === undefined) return body(() => false);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let gaveUp = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', listener);
      f();
    };
    const listener = (): void => {
      if (!started) {
        gaveUp = true;
        finish(() => { resolve(onAbort()); });
      }
    };
    let started = false;
    signal.addEventListener('abort', listener, { once: true });
    body(() => {
      if (!gaveUp) started = true;
      return gaveUp;
    }).then(
      (v) => { finish(() => { resolve(v); }); },
      (e: unknown) => { finish(() => { reject(e instanceof Error ? e : new Error(String(e))); }); },
    );
    if (signal.aborted) listener();
  });
}
