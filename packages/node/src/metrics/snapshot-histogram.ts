/**
 * A prom-client histogram whose buckets are kept by another owner (the server's handshake
 * durations) and read at scrape time, so nothing is observed twice.
 * @module
 */
import { Histogram, type Registry } from 'prom-client';

/** What a {@link SnapshotHistogram} reports. */
export interface HistogramSeries {
  /** Upper bounds in seconds, ascending (`+Inf` implied). */
  readonly bounds: readonly number[];
  /** Cumulative counts per bound, then the `+Inf` total. */
  readonly cumulativeCounts: readonly number[];
  readonly sum: number;
}

/** A value line of the exposition: metric name, labels, value. */
interface ValueLine {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/**
 * A histogram that reports `read()`'s series instead of its own observations. It overrides both
 * of prom-client's read paths (`get`, and the text exposition's `getForPromString`), and must
 * not be observed.
 */
export class SnapshotHistogram extends Histogram<string> {
  readonly #name: string;
  readonly #help: string;
  readonly #read: () => HistogramSeries | undefined;

  /** `read` gives the buckets at scrape time; undefined reports an empty histogram. */
  constructor(
    registry: Registry,
    name: string,
    help: string,
    read: () => HistogramSeries | undefined,
  ) {
    super({ name, help, registers: [registry] });
    this.#name = name;
    this.#help = help;
    this.#read = read;
  }

  override async get(): ReturnType<Histogram<string>['get']> {
    // prom-client's runtime type names are strings ('histogram'); its typings say an enum.
    const metric = {
      name: this.#name,
      help: this.#help,
      type: 'histogram',
      aggregator: 'sum',
      values: this.#values(),
    };
    return metric as unknown as Awaited<ReturnType<Histogram<string>['get']>>;
  }

  /** prom-client's text exposition reads this when present; same values as `get`. */
  getForPromString(): ReturnType<Histogram<string>['get']> {
    return this.get();
  }

  #values(): ValueLine[] {
    const s = this.#read() ?? { bounds: [], cumulativeCounts: [], sum: 0 };
    const bucket = `${this.#name}_bucket`;
    const lines: ValueLine[] = s.bounds.map((le, i) => ({
      metricName: bucket,
      labels: { le },
      value: s.cumulativeCounts[i] ?? 0,
    }));
    const count = s.cumulativeCounts.at(-1) ?? 0;
    lines.push({ metricName: bucket, labels: { le: '+Inf' }, value: count });
    lines.push({ metricName: `${this.#name}_sum`, labels: {}, value: s.sum });
    lines.push({ metricName: `${this.#name}_count`, labels: {}, value: count });
    return lines;
  }
}
