// Waiting rooms for the real client. Both give up a waiting task at once when its signal aborts (issue 9: an abort
// settles a call within 100 ms whether it runs, waits for a process slot or waits behind a change to the same VM).
import { abortable } from '../util/abortable.js';

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
