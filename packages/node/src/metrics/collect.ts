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

/** Registers a counter (a value that only grows, kept by its owner) read at scrape time. */
export function counterOf(
  registry: Registry,
  name: string,
  help: string,
  read: Reader,
  labelNames: readonly string[] = [],
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect(): void {
      this.reset();
      const v = read();
      if (v === undefined) return;
      if (typeof v === 'number') this.inc(v);
      else for (const [labels, value] of v) this.inc(labels, value);
    },
  });
}

/** Registers a gauge read at scrape time. */
export function gaugeOf(
  registry: Registry,
  name: string,
  help: string,
  read: Reader,
  labelNames: readonly string[] = [],
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect(): void {
      this.reset();
      const v = read();
      if (v === undefined) return;
      if (typeof v === 'number') this.set(v);
      else for (const [labels, value] of v) this.set(labels, value);
    },
  });
}
