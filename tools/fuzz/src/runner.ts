/**
 * Runs one target within a budget of inputs or time, and records what breaks its contract:
 * an untyped error, a broken property, an input slower than the cap, or memory past its bound.
 * Each input comes from its own seed, printed with a finding so the input can be made again.
 * @module
 */
import { bytesToHex } from '@ethp2p/crypto';
import { describeError } from './errors.ts';
import { generateInput, inputRandom } from './generate.ts';
import { type FuzzTarget, PropertyError } from './target.ts';

/** Budget and limits of a run. */
export interface RunOptions {
  /** The run's seed: input seeds are derived from it, the target name and the input index. */
  readonly seed: number;
  /** Stop after this many inputs. */
  readonly iterations?: number;
  /** Stop once this many milliseconds have passed. */
  readonly durationMs?: number;
  /** An input that takes longer is a finding (a hang, or cost out of proportion). */
  readonly slowMs: number;
  /** RSS growth over the start of the target that is a finding. */
  readonly maxRssGrowthBytes: number;
  /** Heap growth over the target (after a full GC, when `global.gc` exists) that is a finding. */
  readonly maxHeapGrowthBytes: number;
  /** Distinct findings after which the target stops. */
  readonly maxFindings: number;
}

/** What broke. */
export type FindingKind = 'error' | 'property' | 'slow' | 'memory' | 'harness';

/** One contract violation, with what it takes to make its input again. */
export interface Finding {
  readonly target: string;
  readonly kind: FindingKind;
  readonly message: string;
  /** The mode the input came from (`random` for raw bytes). */
  readonly mode: string;
  /** Regenerates the input: `pnpm fuzz --target <target> --input-seed <inputSeed>`. */
  readonly inputSeed: number;
  readonly input: Uint8Array;
  /** How many inputs hit the same finding. */
  count: number;
}

/** The outcome of one target. */
export interface TargetReport {
  readonly target: string;
  readonly inputs: number;
  readonly ms: number;
  /** Inputs refused with a promised error. */
  readonly rejected: number;
  /** Inputs that decoded. */
  readonly accepted: number;
  readonly slowestMs: number;
  readonly peakRssGrowthBytes: number;
  readonly findings: readonly Finding[];
}

/** A 32-bit mix of the run seed, a target name and an input index (murmur3's finaliser). */
export function inputSeed(seed: number, target: string, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < target.length; i++) h = Math.imul(h ^ target.charCodeAt(i), 0x01000193);
  h = (h + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The outcome of decoding one input: `undefined` if it kept the contract. */
export function checkInput(
  target: FuzzTarget,
  input: Uint8Array,
): { kind: 'error' | 'property'; message: string } | { kind: 'ok'; accepted: boolean } {
  try {
    target.run(input);
    return { kind: 'ok', accepted: true };
  } catch (err) {
    if (target.expected(err)) return { kind: 'ok', accepted: false };
    return {
      kind: err instanceof PropertyError ? 'property' : 'error',
      message: describeError(err),
    };
  }
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Fuzzes `target` (named `name`) until the budget in `options` is spent. */
export function runTarget(name: string, target: FuzzTarget, options: RunOptions): TargetReport {
  const findings = new Map<string, Finding>();
  const started = performance.now();
  const deadline = started + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const maxInputs = options.iterations ?? Number.POSITIVE_INFINITY;
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let inputs = 0;
  let rejected = 0;
  let accepted = 0;
  let slowestMs = 0;
  const record = (
    kind: FindingKind,
    message: string,
    mode: string,
    seed: number,
    input: Uint8Array,
  ) => {
    const key = `${kind}:${message.replace(/[0-9]+/g, 'N')}`;
    const seen = findings.get(key);
    if (seen !== undefined) seen.count++;
    else findings.set(key, { target: name, kind, message, mode, inputSeed: seed, input, count: 1 });
  };
  while (inputs < maxInputs && findings.size < options.maxFindings) {
    if (performance.now() >= deadline) break;
    const seed = inputSeed(options.seed, name, inputs);
    let generated: { mode: string; input: Uint8Array };
    try {
      generated = generateInput(target, inputRandom(seed));
    } catch (err) {
      // a bug of the fuzzer itself (a mutation or a prepare step), reported, not fatal
      record('harness', describeError(err), 'generator', seed, new Uint8Array(0));
      inputs++;
      continue;
    }
    const { mode, input } = generated;
    const t0 = performance.now();
    const outcome = checkInput(target, input);
    const ms = performance.now() - t0;
    inputs++;
    if (outcome.kind === 'ok') {
      if (outcome.accepted) accepted++;
      else rejected++;
    } else {
      record(outcome.kind, outcome.message, mode, seed, input);
    }
    if (ms > slowestMs) slowestMs = ms;
    if (ms > options.slowMs) {
      record('slow', `${ms.toFixed(0)} ms for ${input.length} bytes`, mode, seed, input);
    }
    if (input.length > 65_536 || inputs % 128 === 0) {
      const rss = process.memoryUsage.rss();
      if (rss > peakRss) peakRss = rss;
      if (rss - rssBefore > options.maxRssGrowthBytes) {
        const mb = ((rss - rssBefore) / 2 ** 20).toFixed(0);
        record('memory', `rss grew by ${mb} MB`, mode, seed, input);
        break;
      }
    }
  }
  collectGarbage();
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  if (
    (globalThis as { gc?: unknown }).gc !== undefined &&
    heapGrowth > options.maxHeapGrowthBytes
  ) {
    const mb = (heapGrowth / 2 ** 20).toFixed(0);
    record('memory', `heap grew by ${mb} MB over the run`, 'all', options.seed, new Uint8Array(0));
  }
  return {
    target: name,
    inputs,
    ms: performance.now() - started,
    rejected,
    accepted,
    slowestMs,
    peakRssGrowthBytes: peakRss - rssBefore,
    findings: [...findings.values()],
  };
}

/** The input of a finding as hex, cut after `maxBytes` bytes. */
export function inputHex(input: Uint8Array, maxBytes = 4096): string {
  if (input.length <= maxBytes) return bytesToHex(input);
  return `${bytesToHex(input.subarray(0, maxBytes))}… (${input.length} bytes)`;
}
