/**
 * Node options for a worker thread or child process that runs built code.
 * @module
 */

/** The export condition test runners use to resolve workspace packages to their TypeScript. */
const SOURCE_CONDITION = '@ethp2p/source';

/**
 * `argv` (default: this process's Node options) without `--conditions @ethp2p/source` in any of
 * its spellings: a worker or child started from sources (tests) runs the built script, which must
 * import built code, and Node 20 cannot run TypeScript.
 */
export function builtWorkerExecArgv(argv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if ((arg === '--conditions' || arg === '-C') && argv[i + 1] === SOURCE_CONDITION) i++;
    else if (arg !== `--conditions=${SOURCE_CONDITION}` && arg !== `-C=${SOURCE_CONDITION}`)
      out.push(arg);
  }
  return out;
}
