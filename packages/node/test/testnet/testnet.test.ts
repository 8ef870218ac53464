import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryLines, tableLines } from '../../src/testnet/render.ts';
import {
  runTestnet,
  type TestnetNodeState,
  testnetMaxPeers,
  testnetPeerTarget,
} from '../../src/testnet/testnet.ts';
import { run } from '../cli/helpers/run.ts';
import { assertBuilt } from '../e2e/helpers.ts';

function gone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('testnet sizing', () => {
  it('gives each node a dial target that covers every other node', () => {
    for (const n of [2, 3, 4, 5, 10, 64]) {
      expect(testnetPeerTarget(n)).toBe(n - 1);
      expect(testnetMaxPeers(n)).toBe(3 * (n - 1));
    }
    expect(testnetPeerTarget(10, 6)).toBe(2);
    expect(testnetPeerTarget(10, 1)).toBe(1);
  });

  it('rejects node counts outside 2-64', async () => {
    await expect(runTestnet({ nodes: 1 })).rejects.toThrow(RangeError);
    await expect(runTestnet({ nodes: 65 })).rejects.toThrow(RangeError);
    expect((await run(['testnet', '--nodes', '1'])).code).toBe(2);
    expect((await run(['testnet', '--timeout', 'soon'])).code).toBe(2);
  });
});

describe('testnet rendering', () => {
  const nodes: TestnetNodeState[] = [
    { index: 1, ip: '127.0.0.1', pid: 1, peers: 2, table: 2, reachedMs: 1500, running: true },
    {
      index: 2,
      ip: '127.0.0.2',
      pid: 2,
      peers: 1,
      table: null,
      reachedMs: undefined,
      running: true,
    },
  ];

  it('shows peers, table and when each node reached its target', () => {
    const lines = tableLines(nodes, 2, 2000);
    expect(lines[0]).toBe('t=2.0s  target 2 peers');
    expect(lines[1]).toMatch(
      /node +1 +127\.0\.0\.1 +peers +2\/2 +table +2 +pid 1 +reached at 1\.5s/,
    );
    expect(lines[2]).toMatch(/node +2 +127\.0\.0\.2 +peers +1\/2 +table +- +pid 2$/);
  });

  it('summarizes each outcome with peers per node', () => {
    const base = { elapsedMs: 3000, target: 2, nodes };
    expect(summaryLines({ ...base, outcome: 'converged' })).toEqual([
      'converged in 3.0s: all 2 nodes have 2 peers',
      'peers per node: 1:2 2:1',
    ]);
    expect(summaryLines({ ...base, outcome: 'timeout' })[0]).toBe(
      'timed out after 3.0s: 1 of 2 nodes reached 2 peers',
    );
    expect(summaryLines({ ...base, outcome: 'failed', error: 'boom' })[0]).toBe(
      'failed after 3.0s: boom',
    );
  });
});

describe('testnet outcomes', () => {
  // A child that never prints its enode: the run can only time out or be interrupted.
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ethp2p-testnet-test-'));
    script = join(dir, 'idle.js');
    await writeFile(script, 'setInterval(() => {}, 1000);\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('ends with timeout when the time is up first', async () => {
    const result = await runTestnet({ nodes: 2, timeoutMs: 1, script });
    expect(result.outcome).toBe('timeout');
    expect(result.error).toBeUndefined();
    for (const n of result.nodes) expect(gone(n.pid)).toBe(true);
  });

  it('ends with interrupted when the signal aborts first', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timeout'));
    const result = await runTestnet({
      nodes: 2,
      timeoutMs: 45_000,
      script,
      signal: controller.signal,
    });
    expect(result.outcome).toBe('interrupted');
    for (const n of result.nodes) expect(gone(n.pid)).toBe(true);
  });
});

describe('testnet processes', () => {
  beforeAll(() => assertBuilt());

  it('converges with 3 nodes, prints the summary and leaves no child running', async () => {
    const result = await runTestnet({ nodes: 3, timeoutMs: 45_000 });
    expect(result.outcome).toBe('converged');
    expect(result.nodes.map((n) => n.peers)).toEqual([2, 2, 2]);
    for (const n of result.nodes) expect(gone(n.pid)).toBe(true);
  }, 60_000);

  it('exits 1 with the summary when the timeout passes first', async () => {
    const r = await run(['testnet', '--nodes', '2', '--timeout', '1ms']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^timed out after \d+\.\ds: 0 of \d nodes reached 1 peers$/m);
    expect(r.stdout).toMatch(/^peers per node: /m);
  }, 60_000);

  it('stops every child when the signal aborts', async () => {
    const controller = new AbortController();
    let pids: (number | undefined)[] = [];
    const result = await runTestnet({
      nodes: 2,
      timeoutMs: 45_000,
      signal: controller.signal,
      onUpdate: (states) => {
        pids = states.map((s) => s.pid);
        if (states.length === 2) controller.abort();
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(pids.length).toBe(2);
    for (const pid of pids) expect(gone(pid)).toBe(true);
  }, 60_000);
});
