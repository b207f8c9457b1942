// One task at a time per key (per VM: VirtualBox answers a second concurrent change with a lock error). A task waiting
// its turn is given up at once when its signal aborts.
import { abortable } from './abortable.js';

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
