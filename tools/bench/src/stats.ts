/**
 * Summaries of repeated measurements: the median, and paired ratios shown with their range.
 * @module
 */

/** The median of `xs` (the mean of the middle two for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * `median [min-max]` of ratios, e.g. `2.10x [1.95-2.31]`, or in percent with `percent`;
 * `digits` decimals for the `x` form.
 */
export function spread(xs: readonly number[], percent = false, digits = 2): string {
  const f = (x: number): string => (percent ? `${(100 * x).toFixed(0)}` : x.toFixed(digits));
  const unit = percent ? '%' : 'x';
  return `${f(median(xs))}${unit} [${f(Math.min(...xs))}-${f(Math.max(...xs))}]`;
}
