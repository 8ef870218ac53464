/**
 * `pnpm fuzz`: runs every target (or those named) within the budget, prints inputs per second
 * and every finding with what it takes to replay it, and exits 1 on any finding.
 * @module
 */
import { hexToBytes } from '@ethp2p/crypto';
import { type FuzzArgs, parseArgs, USAGE, UsageError } from './args.ts';
import { generateInput, inputRandom } from './generate.ts';
import { checkInput, type Finding, inputHex, runTarget, type TargetReport } from './runner.ts';
import type { TargetSpec } from './target.ts';
import { TARGETS } from './targets/index.ts';

const DEFAULT_SECONDS = 30;
const MB = 2 ** 20;

function selected(names: readonly string[]): TargetSpec[] {
  if (names.length === 0) return [...TARGETS];
  const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown target: ${unknown.join(', ')} (targets: ${TARGETS.map((t) => t.name).join(', ')})`,
    );
  }
  return TARGETS.filter((t) => names.includes(t.name));
}

/** Decodes one input (from `--input` or `--input-seed`) and says how it went. */
function replay(spec: TargetSpec, args: FuzzArgs): number {
  const target = spec.create();
  const input =
    args.input !== undefined
      ? hexToBytes(args.input)
      : generateInput(target, inputRandom(args.inputSeed ?? 0)).input;
  const t0 = performance.now();
  const outcome = checkInput(target, input);
  const ms = (performance.now() - t0).toFixed(1);
  console.log(`${spec.name}: ${input.length}-byte input, ${ms} ms: ${inputHex(input)}`);
  if (outcome.kind === 'ok') {
    console.log(outcome.accepted ? 'decoded' : 'refused with a promised error');
    return 0;
  }
  console.log(`FINDING (${outcome.kind}): ${outcome.message}`);
  return 1;
}

function printFinding(f: Finding): void {
  console.log(`\nFINDING [${f.target}] ${f.kind}: ${f.message}`);
  console.log(`  ${f.count} input(s); first from mode ${f.mode}`);
  console.log(`  replay: pnpm fuzz --target ${f.target} --input-seed ${f.inputSeed}`);
  console.log(`  input (${f.input.length} bytes): ${inputHex(f.input, 512)}`);
}

function row(cells: readonly (string | number)[]): string {
  const widths = [20, 10, 10, 10, 10, 11, 8, 9];
  return cells
    .map((c, i) =>
      i === 0 ? String(c).padEnd(widths[i] ?? 10) : String(c).padStart(widths[i] ?? 10),
    )
    .join(' ');
}

function printReport(r: TargetReport): void {
  const perSecond = r.ms > 0 ? Math.round((r.inputs * 1000) / r.ms) : 0;
  console.log(
    row([
      r.target,
      r.inputs,
      perSecond,
      r.rejected,
      r.accepted,
      r.slowestMs.toFixed(1),
      (r.peakRssGrowthBytes / MB).toFixed(0),
      r.findings.length,
    ]),
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const specs = selected(args.targets);
  if (args.list) {
    for (const t of specs) console.log(`${t.name.padEnd(20)} ${t.decoders}`);
    return 0;
  }
  if (args.input !== undefined || args.inputSeed !== undefined) {
    if (specs.length !== 1) throw new UsageError('--input and --input-seed need one --target');
    return replay(specs[0] as TargetSpec, args);
  }
  const budget =
    args.iterations !== undefined
      ? { iterations: Math.max(1, Math.ceil(args.iterations / specs.length)) }
      : { durationMs: ((args.seconds ?? DEFAULT_SECONDS) * 1000) / specs.length };
  const what =
    'iterations' in budget
      ? `${budget.iterations} inputs`
      : `${(budget.durationMs / 1000).toFixed(1)} s`;
  console.log(
    `pnpm fuzz: seed ${args.seed}, ${what} per target over ${specs.length} targets, ` +
      `slow cap ${args.slowMs} ms, rss cap +${args.maxRssGrowthMb} MB` +
      ((globalThis as { gc?: unknown }).gc === undefined
        ? ' (no --expose-gc: heap not checked)'
        : ''),
  );
  console.log(
    row([
      'target',
      'inputs',
      'inputs/s',
      'rejected',
      'accepted',
      'slowest ms',
      'rss +MB',
      'findings',
    ]),
  );
  const started = performance.now();
  const findings: Finding[] = [];
  let inputs = 0;
  for (const spec of specs) {
    const report = runTarget(spec.name, spec.create(), {
      seed: args.seed,
      ...budget,
      slowMs: args.slowMs,
      maxRssGrowthBytes: args.maxRssGrowthMb * MB,
      maxHeapGrowthBytes: 64 * MB,
      maxFindings: 5,
    });
    printReport(report);
    inputs += report.inputs;
    findings.push(...report.findings);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\ntotal: ${inputs} inputs in ${seconds.toFixed(1)} s (${Math.round(inputs / seconds)} inputs/s), ` +
      `peak rss ${(process.memoryUsage.rss() / MB).toFixed(0)} MB, ${findings.length} finding(s)`,
  );
  for (const f of findings) printFinding(f);
  return findings.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`${err.message}\n${USAGE}`);
  process.exitCode = 2;
}
