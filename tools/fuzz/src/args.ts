/**
 * The command line of `pnpm fuzz`.
 * @module
 */

/** A command line that cannot be run. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the command line asks for. */
export interface FuzzArgs {
  /** Total seconds, split evenly over the targets (the default budget: 30). */
  readonly seconds?: number;
  /** Total inputs, split evenly over the targets; overrides the default time budget. */
  readonly iterations?: number;
  /** Target names; empty: all. */
  readonly targets: readonly string[];
  readonly seed: number;
  readonly slowMs: number;
  readonly maxRssGrowthMb: number;
  /** Replay the input of this input seed (one target). */
  readonly inputSeed?: number;
  /** Replay this input, in hex (one target). */
  readonly input?: string;
  readonly list: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `usage: pnpm fuzz [options]
  --seconds N        total time, split evenly over the targets (default 30)
  --iterations N     total inputs, split evenly over the targets (instead of --seconds)
  --target NAME      fuzz only NAME (repeatable, or comma-separated); --list names them
  --seed N           the run's seed (default: from the clock; printed)
  --slow-ms N        an input slower than this is a finding (default 1000)
  --max-rss-mb N     RSS growth within a target that is a finding (default 1024)
  --input-seed N     decode the one input of this input seed (with one --target)
  --input HEX        decode this input (with one --target)
  --list             list the targets and the decoders they drive
  --help`;

/** The options that take a number. */
const NUMBER_FLAGS: readonly string[] = [
  '--seconds',
  '--iterations',
  '--seed',
  '--slow-ms',
  '--max-rss-mb',
  '--input-seed',
];

function number(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`${flag}: expected a non-negative number, got ${text ?? 'nothing'}`);
  }
  return n;
}

/** Parses `argv` (without node and the script). @throws {UsageError} on a bad option */
export function parseArgs(argv: readonly string[], now: number = Date.now()): FuzzArgs {
  const targets: string[] = [];
  // the numeric options by flag, as given
  const numbers = new Map<string, number>();
  let input: string | undefined;
  let list = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (NUMBER_FLAGS.includes(flag)) numbers.set(flag, number(flag, argv[++i]));
    else if (flag === '--target') targets.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (flag === '--input') input = argv[++i] ?? '';
    else if (flag === '--list') list = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else throw new UsageError(`unknown option: ${flag}`);
  }
  const int = (flag: string) => {
    const n = numbers.get(flag);
    return n === undefined ? undefined : Math.floor(n);
  };
  const seconds = numbers.get('--seconds');
  const iterations = int('--iterations');
  const inputSeed = int('--input-seed');
  const seed = (int('--seed') ?? Math.floor(now)) % 2 ** 32;
  const slowMs = numbers.get('--slow-ms') ?? 1000;
  const maxRssGrowthMb = numbers.get('--max-rss-mb') ?? 1024;
  return {
    ...(seconds === undefined ? {} : { seconds }),
    ...(iterations === undefined ? {} : { iterations }),
    ...(inputSeed === undefined ? {} : { inputSeed }),
    ...(input === undefined ? {} : { input }),
    targets,
    seed,
    slowMs,
    maxRssGrowthMb,
    list,
    help,
  };
}
