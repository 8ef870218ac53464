import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/args.ts';
import { CRASH_DEFAULTS } from '../src/crash/run.ts';
import { SOAK_DEFAULTS } from '../src/soak.ts';

describe('parseCliArgs', () => {
  it('runs the default soak: 20 peers for 2 minutes, a line a minute', () => {
    const req = parseCliArgs([]);
    expect(req.kind).toBe('soak');
    if (req.kind !== 'soak') return;
    expect(req.options).toMatchObject({ peers: 20, durationMs: 120_000, intervalMs: 60_000 });
    expect(req.options.warmupMs).toBe(SOAK_DEFAULTS.warmupMs);
  });

  it('takes the long run by flag', () => {
    const req = parseCliArgs(['--peers', '100', '--minutes', '60', '--interval', '30']);
    if (req.kind !== 'soak') throw new Error(`expected a soak, got ${req.kind}`);
    expect(req.options).toMatchObject({ peers: 100, durationMs: 3_600_000, intervalMs: 30_000 });
  });

  it.each([
    [['--minutes', '0.5'], 7_500],
    [['--minutes', '60'], 900_000],
    [['--minutes', '60', '--warmup', '45'], 45_000],
  ])('takes a quarter of the run as warm-up unless told: %j', (argv, warmupMs) => {
    const req = parseCliArgs(argv);
    if (req.kind !== 'soak') throw new Error(`expected a soak, got ${req.kind}`);
    expect(req.options.warmupMs).toBe(warmupMs);
  });

  it('selects the crash loops', () => {
    const req = parseCliArgs(['--crash', '--iterations', '100', '--node-kills', '5']);
    if (req.kind !== 'crash') throw new Error(`expected crash, got ${req.kind}`);
    expect(req.options).toMatchObject({ ...CRASH_DEFAULTS, iterations: 100, nodeKills: 5 });
  });

  it.each([
    [['--peers', 'many'], /--peers: expected a non-negative integer/],
    [['--peers', '0'], /--peers: expected at least 1/],
    [['--minutes=-1'], /--minutes: expected a non-negative number/],
    [['--iterations', '1.5', '--crash'], /--iterations: expected a non-negative integer/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
