import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/args.ts';
import { typedErrors } from '../src/errors.ts';
import { generateInput, inputRandom } from '../src/generate.ts';
import { editHeader, mutateRlp } from '../src/mutate/rlp.ts';
import { checkInput, inputSeed, runTarget } from '../src/runner.ts';
import { type FuzzTarget, PropertyError } from '../src/target.ts';
import { TARGETS } from '../src/targets/index.ts';

/** Inputs per target: enough to reach every mode, few enough for CI (no timing involved). */
const INPUTS_PER_TARGET = 150;

const options = {
  seed: 15,
  iterations: INPUTS_PER_TARGET,
  slowMs: Number.POSITIVE_INFINITY,
  maxRssGrowthBytes: 1024 * 2 ** 20,
  maxHeapGrowthBytes: Number.POSITIVE_INFINITY,
  maxFindings: 5,
};

describe('every target keeps its contract on a fixed budget of inputs', () => {
  it.each(TARGETS.map((t) => [t.name, t] as const))('%s', (name, spec) => {
    const report = runTarget(name, spec.create(), options);
    const findings = report.findings.map(
      (f) => `${f.kind}: ${f.message} (input seed ${f.inputSeed})`,
    );
    expect(findings).toEqual([]);
    expect(report.inputs).toBe(INPUTS_PER_TARGET);
    // the mutations must keep reaching both sides of the decoder
    expect(report.rejected + report.accepted).toBe(INPUTS_PER_TARGET);
  });

  it('each target has seeds in every mode, and its seeds decode or are refused as promised', () => {
    for (const spec of TARGETS) {
      const target = spec.create();
      for (const mode of target.modes) {
        expect(mode.seeds.length, `${spec.name} ${mode.name}`).toBeGreaterThan(0);
        for (const seed of mode.seeds) {
          const input = mode.prepare === undefined ? seed : mode.prepare(seed, inputRandom(1));
          expect(checkInput(target, input).kind, `${spec.name} ${mode.name}`).toBe('ok');
        }
      }
    }
  });

  it('every message of eth/68 and eth/69 is seeded with values that encode and decode', () => {
    // a seed that fails to encode falls back to generic shapes: that must not hide a message
    for (const name of ['eth68', 'eth69']) {
      const target = TARGETS.find((t) => t.name === name)?.create() as FuzzTarget;
      for (const mode of target.modes) {
        expect(checkInput(target, mode.seeds[0] as Uint8Array), `${name} ${mode.name}`).toEqual({
          kind: 'ok',
          accepted: true,
        });
      }
    }
  });

  it('valid seeds decode: the modes reach the decoders past their integrity checks', () => {
    const accepting = [
      'discv4',
      'discv5-packet',
      'enr',
      'node-db',
      'rlpx-auth',
      'rlpx-ack',
      'rlpx-frame',
      'rlpx-frame-snappy',
      'eth68',
      'eth69',
    ];
    for (const name of accepting) {
      const spec = TARGETS.find((t) => t.name === name);
      const target = spec?.create() as FuzzTarget;
      const mode = target.modes[0];
      const seed = mode?.seeds[0] as Uint8Array;
      const input = mode?.prepare === undefined ? seed : mode.prepare(seed, inputRandom(1));
      expect(checkInput(target, input), name).toEqual({ kind: 'ok', accepted: true });
    }
  });
});

describe('the harness', () => {
  const failing: FuzzTarget = {
    modes: [{ name: 'bytes', seeds: [Uint8Array.of(1, 2, 3)] }],
    maxInputBytes: 64,
    expected: typedErrors(PropertyError),
    run(input) {
      if (input.length > 2) throw new TypeError('boom');
    },
  };

  it('reports an untyped error with the input seed that makes it again', () => {
    const report = runTarget('failing', failing, { ...options, iterations: 50 });
    const finding = report.findings[0];
    expect(finding?.kind).toBe('error');
    expect(finding?.message).toContain('TypeError: boom');
    const again = generateInput(failing, inputRandom(finding?.inputSeed ?? 0)).input;
    expect(again).toEqual(finding?.input);
  });

  it('counts a typed error whose cause is a built-in error as a finding', () => {
    class Typed extends Error {}
    const expected = typedErrors(Typed);
    expect(expected(new Typed('bad input'))).toBe(true);
    expect(expected(new Typed('wrapped', { cause: new RangeError('bug') }))).toBe(false);
    expect(expected(new RangeError('bug'))).toBe(false);
  });

  it('reports an input slower than the cap, and stops at the memory bound', () => {
    const slow: FuzzTarget = { ...failing, run: () => {} };
    const timed = runTarget('slow', slow, { ...options, iterations: 3, slowMs: -1 });
    expect(timed.findings.map((f) => f.kind)).toEqual(['slow']);
    const hungry = runTarget('hungry', slow, {
      ...options,
      iterations: 256,
      maxRssGrowthBytes: -1,
    });
    expect(hungry.findings.map((f) => f.kind)).toEqual(['memory']);
    expect(hungry.inputs).toBe(128);
  });

  it('derives distinct input seeds per target and index', () => {
    const seeds = new Set<number>();
    for (const t of ['rlp', 'discv4']) for (let i = 0; i < 1000; i++) seeds.add(inputSeed(7, t, i));
    expect(seeds.size).toBe(2000);
  });

  it('builds RLP bombs and header edits within the size bound', () => {
    const seed = Uint8Array.of(0xc3, 0x01, 0x02, 0x03);
    let biggest = 0;
    for (let i = 0; i < 2000; i++) {
      const out = mutateRlp(seed, inputRandom(i), 1_000_000);
      biggest = Math.max(biggest, out?.length ?? 0);
      expect(editHeader(seed, inputRandom(i))).toBeInstanceOf(Uint8Array);
    }
    expect(biggest).toBeGreaterThan(100_000);
    expect(biggest).toBeLessThan(1_100_000);
  });

  it('parses the command line', () => {
    const args = parseArgs(['--iterations', '1000000', '--target', 'rlp,eth69', '--seed', '9']);
    expect(args).toMatchObject({ iterations: 1_000_000, targets: ['rlp', 'eth69'], seed: 9 });
    expect(parseArgs([], 12_345).seed).toBe(12_345);
    expect(() => parseArgs(['--seconds', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['--nope'])).toThrow(UsageError);
  });
});
