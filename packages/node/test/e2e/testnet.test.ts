import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ethp2p, isGone, stopAll } from './helpers.ts';

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

/** The pids in the testnet's table rows. */
function pidsOf(stdout: string): Set<number> {
  return new Set([...stdout.matchAll(/^node +\d+ .* pid (\d+)/gm)].map((m) => Number(m[1])));
}

describe('ethp2p testnet (real processes)', () => {
  it('converges with 5 nodes, prints the summary and leaves no child', async () => {
    // A pair whose simultaneous dials both died redials after geth's 35 s dial history; on a
    // loaded machine that happens, so the run gets room for one such redial.
    const t = ethp2p(['testnet', '--nodes', '5', '--timeout', '100s']);
    const { code } = await t.exited;
    expect(t.stdout).toMatch(/^converged in \d+\.\ds: all 5 nodes have 4 peers$/m);
    expect(t.stdout).toMatch(/^peers per node: 1:4 2:4 3:4 4:4 5:4$/m);
    expect(code).toBe(0);
    const pids = pidsOf(t.stdout);
    expect(pids.size).toBe(5);
    for (const pid of pids) expect(isGone(pid)).toBe(true);
  }, 110_000);

  it('--sync: the nodes sync the chain of node 1 and it exits 0 when every head matches', async () => {
    const t = ethp2p(['testnet', '--nodes', '3', '--sync', '64', '--timeout', '50s']);
    const { code } = await t.exited;
    expect(t.stdout).toMatch(/^synced in \d+\.\ds: all 3 nodes have head 64 \(0x[0-9a-f]{8}…\)$/m);
    expect(t.stdout).toMatch(/^head per node: 1:64 2:64 3:64$/m);
    expect(code).toBe(0);
    for (const pid of pidsOf(t.stdout)) expect(isGone(pid)).toBe(true);
  }, 60_000);

  it('stops every child on SIGTERM', async () => {
    const t = ethp2p(['testnet', '--nodes', '3', '--timeout', '50s']);
    const pids = await t.waitUntil(
      () => {
        const found = pidsOf(t.stdout);
        return found.size === 3 ? found : undefined;
      },
      30_000,
      'three table rows',
    );
    const code = await t.stop('SIGTERM');
    expect(t.stdout).toMatch(/^(interrupted|converged)/m);
    expect(code === 0 || code === 1).toBe(true);
    for (const pid of pids) expect(isGone(pid)).toBe(true);
  }, 60_000);
});
