/**
 * Durations on the command line, in Go's `time.ParseDuration` style: `500ms`, `30s`, `2m`,
 * `1h30m`, `1.5s`. A bare `0` is zero; any other number needs a unit.
 * @module
 */

/** Milliseconds per unit. */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ms|s|m|h)/y;

/**
 * Parses a duration into milliseconds (fractions of a millisecond are kept).
 * @throws {RangeError} `"duration: expected ..."` for anything else, or negative durations
 * @example `parseDuration('1m30s') // 90000`
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const bad = (): RangeError =>
    new RangeError(
      `duration: expected a number with a unit (ms, s, m, h) such as 30s, got '${text}'`,
    );
  if (text.length === 0) throw bad();
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (match === null || match.index !== start) throw bad();
    const [, amount = '', unit = ''] = match;
    const ms = UNIT_MS[unit];
    if (ms === undefined) throw bad();
    total += Number(amount) * ms;
  }
  if (!Number.isFinite(total)) throw bad();
  return total;
}

/** A duration in the most readable unit: `250ms`, `1.5s`, `2m`, `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}
