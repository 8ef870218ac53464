/**
 * Minimal benchmarking helpers: a time-bounded loop with warm-up, and an aligned text table.
 * @module
 */

/** How long to warm up and then measure one operation. */
export interface TimingOptions {
  /** Milliseconds of untimed calls first, so the JIT and caches settle. */
  readonly warmupMs: number;
  /** Milliseconds of timed calls. */
  readonly durationMs: number;
}

/** Values returned by measured calls land here so the engine cannot drop the work. */
let sink = 0;

/** Keeps `value` observable. */
function consume(value: unknown): void {
  if (value instanceof Uint8Array) sink ^= value[0] ?? 0;
  else if (value === true) sink ^= 1;
}

/** Calls `fn` in batches until `ms` milliseconds have passed; returns calls and elapsed ms. */
function loop(fn: (i: number) => unknown, ms: number): { calls: number; elapsedMs: number } {
  const start = performance.now();
  let calls = 0;
  let batch = 1;
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) consume(fn(calls + i));
    calls += batch;
    now = performance.now();
    if (batch < 1024) batch *= 2;
  }
  return { calls, elapsedMs: now - start };
}

/**
 * The mean time of one call to `fn`, in microseconds. `fn` receives the call index so it can
 * cycle through prepared inputs.
 */
export function microsPerOp(fn: (i: number) => unknown, options: TimingOptions): number {
  loop(fn, options.warmupMs);
  const { calls, elapsedMs } = loop(fn, options.durationMs);
  return (elapsedMs * 1000) / calls;
}

/** The sink value, printed by nothing; exported so bundlers keep it. */
export function benchSink(): number {
  return sink;
}

/** Renders rows as an aligned table: the first column left-aligned, the others right-aligned. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Formats a µs/op figure with three significant digits. */
export function formatMicros(us: number): string {
  if (us >= 100) return us.toFixed(0);
  if (us >= 10) return us.toFixed(1);
  if (us >= 1) return us.toFixed(2);
  return us.toFixed(3);
}
