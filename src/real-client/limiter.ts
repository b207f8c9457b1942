// Waiting rooms for the real client. Both give up a waiting task at once when its signal aborts (issue 9: an abort
// settles a call within 100 ms whether it runs, waits for a process slot or waits behind a change to the same VM).

/** Settle with `onAbort()` as soon as `signal` aborts, unless `started()` says the task already runs. */
function abortable<T>(signal: AbortSignal | undefined, onAbort: (() => T) | undefined, body: (gaveUp: () => boolean) => Promise<T>): Promise<T> {
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

/** At most `max` tasks at once; the rest wait in FIFO order. @internal */
export class Semaphore {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #max: number;

  constructor(max: number) {
    this.#max = Math.max(1, Math.floor(max));
  }

  /** Run `task` when a slot is free; an abort while it waits settles with `onAbort()` and frees its place. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal, onAbort?: () => T): Promise<T> {
    return abortable(signal, onAbort, async (gaveUp) => {
      if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      else this.#active++;
      try {
        // Given up while waiting: the slot came, but the task is not run.
        if (gaveUp()) return undefined as T;
        return await task();
      } finally {
        const next = this.#waiting.shift();
        // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
        if (next === undefined) this.#active--;
        else next();
      }
    });
  }
}

/** Runs tasks with the same key one after another, in the order they were queued. @internal */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Run `task` after every earlier task of `key`; an abort while it waits settles with `onAbort()` and runs nothing. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal, onAbort?: () => T): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    let gate: () => boolean = () => false;
    const gated = (): Promise<T> => (gate() ? Promise.resolve(undefined as T) : task());
    const result = prev.then(gated, gated);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return abortable(signal, onAbort, (gaveUp) => {
      gate = gaveUp;
      return result;
    });
  }
}

/** Resolves after `ms`, or early with `false` when the signal aborts. @internal */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
