/**
 * Reading the Prometheus text format in tests, through a maintained parser.
 * @module
 */
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

/** Metric families by name. */
export type Families = ReadonlyMap<string, ParsedFamily>;

/** Parses an exposition into families by name. */
export function parseFamilies(text: string): Families {
  return new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
}

/**
 * The value of the sample of `name` whose labels include `labels`; throws if there is none, so
 * a missing metric fails the test.
 */
export function sampleValue(
  families: Families,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const family = families.get(name);
  if (family === undefined) throw new Error(`no metric ${name}`);
  const sample = family.metrics.find((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  if (sample === undefined) throw new Error(`no sample of ${name} with ${JSON.stringify(labels)}`);
  return Number(sample.value ?? sample.count);
}

/** Families that are not prom-client's process and Node.js metrics. */
export function ownFamilies(families: Families): string[] {
  return [...families.keys()].filter((n) => !n.startsWith('process_') && !n.startsWith('nodejs_'));
}
