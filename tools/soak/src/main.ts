/**
 * `pnpm soak [flags]`: the soak run (default) or, with `--crash`, the kill -9 crash-safety loops.
 * Exits 1 when the run fails its checks, 2 on bad flags. See the README for the flags.
 * @module
 */
import { parseCliArgs, usage } from './args.ts';
import { runCrash } from './crash/run.ts';
import { runSoak } from './soak.ts';

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (err) {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}\n\n${usage()}`);
    return 2;
  }
  if (parsed.kind === 'help') {
    console.log(usage());
    return 0;
  }
  const report =
    parsed.kind === 'soak' ? await runSoak(parsed.options) : await runCrash(parsed.options);
  return report.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
