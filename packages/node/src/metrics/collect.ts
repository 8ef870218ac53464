/**
 * prom-client metrics whose values are read from their owner at scrape time: each `collect`
 * resets the metric and sets what the owner's snapshot says, so nothing is counted twice.
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Labels and value of one series. */
export type Series = readonly [labels: Readonly<Record<string, string>>, value: number];

/** What a metric reads at scrape time: a single value, or labelled series; undefined is none. */
export type Reader = () => number | readonly Series[] | undefined;

/**
 * Registers a metric read at scrape time: a `counter` (a count that only grows, kept by its
 * owner) or a `gauge`.
 */
export function scraped(
  kind: 'counter' | 'gauge',
  registry: Registry,
  name: string,
  help: string,
  read: Reader,
  labelNames: readonly string[] = [],
): void {
  const config = { name, help, labelNames, registers: [registry] };
  if (kind === 'counter') {
    new Counter({
      ...config,
      collect(): void {
        this.reset();
        forEachSeries(read(), (labels, value) => this.inc(labels, value));
      },
    });
  } else {
    new Gauge({
      ...config,
      collect(): void {
        this.reset();
        forEachSeries(read(), (labels, value) => this.set(labels, value));
      },
    });
  }
}

/** A reader of one number of an owner's snapshot: 0 while there is none. */
export function field<T>(snapshot: () => T | undefined, pick: (t: T) => number): () => number {
  return () => {
    const s = snapshot();
    return s === undefined ? 0 : pick(s);
  };
}

/** One field of a snapshot as a metric: name (after the prefix), kind, help and its key. */
export type FieldMetric<T> = readonly [
  name: string,
  kind: 'counter' | 'gauge',
  help: string,
  key: { [K in keyof T]: T[K] extends number ? K : never }[keyof T],
];

/** Registers `prefix` + name for each of `metrics`, read from `snap`'s field at scrape time. */
export function registerFields<T>(
  registry: Registry,
  prefix: string,
  metrics: readonly FieldMetric<T>[],
  snap: () => T | undefined,
): void {
  for (const [name, kind, help, key] of metrics) {
    scraped(
      kind,
      registry,
      `${prefix}${name}`,
      help,
      field(snap, (m) => m[key] as number),
    );
  }
}

function forEachSeries(
  v: ReturnType<Reader>,
  put: (labels: Readonly<Record<string, string>>, value: number) => void,
): void {
  if (v === undefined) return;
  if (typeof v === 'number') put({}, v);
  else for (const [labels, value] of v) put(labels, value);
}
