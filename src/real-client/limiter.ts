// The real client's process slots. A task waiting for one is given up at once when its signal aborts (issue 9: an
// abort settles a call within 100 ms whether it runs, waits for a process slot or waits behind a change to the same
// VM; the per-VM queue is src/util/keyed-queue.ts).
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
