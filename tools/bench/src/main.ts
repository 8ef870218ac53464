/**
 * The benchmark runner: `node tools/bench/dist/main.js [suite...]` runs the named suites, or all
 * of them when none is named. A suite is a named async function that prints its own report.
 * @module
 */
import { runAttackBench } from './attack.ts';
import { runClockBench } from './clock.ts';
import { runCryptoBench } from './crypto.ts';
import { runDiscv4Bench } from './discv4.ts';
import { runDiscv5Bench } from './discv5.ts';
import { runPeersBench } from './peers.ts';
import { runReceiptsBench } from './receipts.ts';
import { runRlpBench } from './rlp.ts';
import { runRlpxBench } from './rlpx.ts';
import { runServerBench } from './server.ts';
import { runSimBench } from './sim.ts';
import { runSyncBench } from './sync.ts';

/** Every suite by name, in the order `pnpm bench` runs them. */
const SUITES: Readonly<Record<string, () => Promise<unknown>>> = {
  attack: () => runAttackBench(process.env.ATTACK?.split(',') ?? []),
  clock: () => runClockBench(),
  crypto: () => runCryptoBench(),
  discv4: () => runDiscv4Bench(),
  discv5: () => runDiscv5Bench(),
  peers: () => runPeersBench(),
  receipts: () => runReceiptsBench(),
  rlp: () => runRlpBench(),
  rlpx: () => runRlpxBench(),
  server: () => runServerBench(),
  sim: () => runSimBench(process.env.SIM?.split(/\s+/).filter((a) => a.length > 0) ?? []),
  sync: () => runSyncBench(),
};

async function main(args: readonly string[]): Promise<number> {
  const names = args.length > 0 ? args : Object.keys(SUITES);
  const unknown = names.filter((n) => !Object.hasOwn(SUITES, n));
  if (unknown.length > 0) {
    console.error(
      `unknown suite: ${unknown.join(', ')} (suites: ${Object.keys(SUITES).join(', ')})`,
    );
    return 2;
  }
  for (const name of names) {
    const started = performance.now();
    await SUITES[name]?.();
    console.log(`\n${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
