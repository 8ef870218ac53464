/**
 * `pnpm bench sim`: the discv4 simulation, `ethp2p sim` run in this process. Its flags come from
 * the `SIM` variable (`SIM="--nodes 3000 --out sim-3k" pnpm bench sim`); without it, `ethp2p
 * sim`'s defaults (1,000 nodes for 2 virtual minutes, files in `sim-out`).
 * @module
 */
import { main } from '@ethp2p/node/cli';

/**
 * Runs `ethp2p sim` with `args`.
 * @throws {Error} when it exits with another code than 0
 */
export async function runSimBench(args: readonly string[]): Promise<void> {
  console.log(`\nsim: ethp2p sim ${args.join(' ')}`);
  const code = await main(['sim', ...args]);
  if (code !== 0) throw new Error(`ethp2p sim exited with ${code}`);
}
