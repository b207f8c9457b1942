// Writes to the shared collectors for one host, remembering every label set it wrote, so that a VM's series can be
// removed when it goes away and all of the host's series when its metrics are removed.
import type { Collectors, MetricName } from './collectors.js';

type LabelSet = Readonly<Record<string, string>>;

const MB = 1024 * 1024;

/** A finite number of 0 or more, else `null` (events may carry NaN, strings or null). @internal */
export function amount(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null;
}

/** MB (VirtualBox's MB are MiB) to bytes, or `null` for a value that is not an amount. @internal */
export function mbToBytes(x: unknown): number | null {
  const mb = amount(x);
  return mb === null ? null : mb * MB;
}

const keyOf = (labels: LabelSet): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/** @internal */
export class HostSeries {
  readonly #collectors: Collectors;
  readonly #written = new Map<MetricName, Map<string, LabelSet>>();

  constructor(collectors: Collectors) {
    this.#collectors = collectors;
  }

  #remember(name: MetricName, labels: LabelSet): void {
    let sets = this.#written.get(name);
    if (sets === undefined) this.#written.set(name, (sets = new Map<string, LabelSet>()));
    sets.set(keyOf(labels), labels);
  }

  /** Set a gauge; a value that is not an amount removes the series instead (no stale or NaN value is exposed). */
  set(name: MetricName, labels: LabelSet, value: number | null): void {
    if (value === null) {
      this.remove(name, labels);
      return;
    }
    (this.#collectors[name] as { set(l: LabelSet, v: number): void }).set(labels, value);
    this.#remember(name, labels);
  }

  /** Add to a counter (0 creates the series at 0, so that `rate()` and `increase()` see its first step). */
  inc(name: MetricName, labels: LabelSet, by = 1): void {
    (this.#collectors[name] as { inc(l: LabelSet, v: number): void }).inc(labels, by);
    this.#remember(name, labels);
  }

  /** Observe a value in a histogram. */
  observe(name: MetricName, labels: LabelSet, value: number): void {
    (this.#collectors[name] as { observe(l: LabelSet, v: number): void }).observe(labels, value);
    this.#remember(name, labels);
  }

  /** Remove one series. */
  remove(name: MetricName, labels: LabelSet): void {
    const sets = this.#written.get(name);
    if (sets?.delete(keyOf(labels)) !== true) return;
    (this.#collectors[name] as { remove(l: LabelSet): void }).remove(labels);
  }

  /** Remove every series written through this object. */
  removeAll(): void {
    for (const [name, sets] of this.#written) {
      for (const labels of sets.values()) (this.#collectors[name] as { remove(l: LabelSet): void }).remove(labels);
    }
    this.#written.clear();
  }
}
