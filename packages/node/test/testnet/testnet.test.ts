import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeLines,
  liveView,
  nodeRow,
  summaryLines,
  tableLines,
} from '../../src/testnet/render.ts';
import {
  runTestnet,
  type TestnetNodeState,
  testnetMaxPeers,
  testnetPeerTarget,
  testnetTimeoutMs,
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

  it('scales the default timeout with the node count: 40 s + 5 s per node', () => {
    expect(testnetTimeoutMs(2)).toBe(50_000);
    expect(testnetTimeoutMs(4)).toBe(60_000);
    expect(testnetTimeoutMs(16)).toBe(120_000);
    expect(testnetTimeoutMs(64)).toBe(360_000);
  });

  it('documents the scaled default in --help', async () => {
    const r = await run(['testnet', '--help']);
    expect(r.stdout).toMatch(
      /give up after this long \(default 40s \+ 5s per node: 1m for 4 nodes, 2m for 16\)/,
    );
  });

  it('rejects node counts outside 2-64', async () => {
    await expect(runTestnet({ nodes: 1 })).rejects.toThrow(RangeError);
    await expect(runTestnet({ nodes: 65 })).rejects.toThrow(RangeError);
    expect((await run(['testnet', '--nodes', '1'])).code).toBe(2);
    expect((await run(['testnet', '--timeout', 'soon'])).code).toBe(2);
  });
});

describe('testnet rendering', () => {
  const one: TestnetNodeState = {
    index: 1,
    ip: '127.0.0.1',
    pid: 1,
    peers: 2,
    table: 2,
    reachedMs: 1500,
    running: true,
  };
  const two: TestnetNodeState = {
    index: 2,
    ip: '127.0.0.2',
    pid: 2,
    peers: 1,
    table: null,
    reachedMs: undefined,
    running: true,
  };
  const nodes = [one, two];

  it('shows peers, table and when each node reached its target', () => {
    const lines = tableLines(nodes, 2, 2000);
    expect(lines[0]).toBe('t=2.0s  target 2 peers');
    expect(lines[1]).toMatch(
      /node +1 +127\.0\.0\.1 +peers +2\/2 +table +2 +pid 1 +reached at 1\.5s/,
    );
    expect(lines[2]).toMatch(
      /node +2 +127\.0\.0\.2 +peers +1\/2 +table +- +pid 2 {2}lacks 1, no failed dial$/,
    );
  });

  it('shows what a node short of peers lacks and its last failed dial', () => {
    const short: TestnetNodeState = {
      ...two,
      table: 3,
      lastDialError: {
        node: `enode://${'ab'.repeat(64)}@127.0.0.3:40123?discport=40124`,
        error: 'connect ECONNREFUSED\n127.0.0.3:40123',
      },
    };
    expect(nodeRow(short, 3)).toMatch(
      /pid 2 {2}lacks 2, last dial error: node 3: connect ECONNREFUSED 127\.0\.0\.3:40123$/,
    );
    const outside = { node: `enode://${'ab'.repeat(64)}@10.0.0.1:30303`, error: 'timeout' };
    expect(nodeRow({ ...short, lastDialError: outside }, 3)).toMatch(
      /lacks 2, last dial error: 10\.0\.0\.1:30303: timeout$/,
    );
    expect(nodeRow({ ...short, lastDialError: undefined }, 3)).toMatch(/lacks 2, no failed dial$/);
    // A node with its peers shows no reason, even with an old dial error.
    expect(nodeRow({ ...short, peers: 3, reachedMs: 900 }, 3)).toMatch(/reached at 0\.9s$/);
    expect(tableLines([short], 3, 1000)[1]).toBe(nodeRow(short, 3));
  });

  it('prints a line per changed, new or exited node', () => {
    expect(changeLines([], nodes, 2, 1000)).toEqual([
      `${nodeRow(one, 2)}  t=1.0s`,
      `${nodeRow(two, 2)}  t=1.0s`,
    ]);
    expect(changeLines(nodes, nodes, 2, 2000)).toEqual([]);
    const grown = { ...two, table: 4 };
    expect(changeLines(nodes, [one, grown], 2, 2000)).toEqual([`${nodeRow(grown, 2)}  t=2.0s`]);
    const exited = { ...one, running: false };
    expect(changeLines(nodes, [exited, two], 2, 3000)).toEqual([
      `${nodeRow(exited, 2)}  exited  t=3.0s`,
    ]);
  });

  it('redraws the whole table on a terminal, once a second, cut to its width', () => {
    const view = liveView({ tty: true, columns: 30, target: 2 });
    const first = view(nodes, 1000);
    expect(first.split('\n')).toEqual([
      '\x1b[2Kt=1.0s  target 2 peers',
      `\x1b[2K${nodeRow(one, 2).slice(0, 29)}`,
      `\x1b[2K${nodeRow(two, 2).slice(0, 29)}`,
      '',
    ]);
    expect(view(nodes, 1500)).toBe('');
    expect(view(nodes, 2000).startsWith('\x1b[3A\x1b[2Kt=2.0s')).toBe(true);
  });

  it('prints only the changes when stdout is not a terminal', () => {
    const view = liveView({ tty: false, columns: 80, target: 2 });
    expect(view(nodes, 1000)).toBe(`${changeLines([], nodes, 2, 1000).join('\n')}\n`);
    expect(view(nodes, 1100)).toBe('');
    const reached = { ...two, peers: 2, reachedMs: 1200 };
    expect(view([one, reached], 1200)).toBe(`${nodeRow(reached, 2)}  t=1.2s\n`);
    expect(view([one, { ...reached, table: 1 }], 1300)).not.toContain('\x1b');
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

  it('shows heads in sync mode: per node, in the rows and the summary', () => {
    const syncHead = { number: 100, hash: `0x${'ab'.repeat(32)}` };
    const synced = nodes.map((n) => ({ ...n, head: syncHead }));
    expect(nodeRow(synced[0] as TestnetNodeState, 2)).toContain('  head 100');
    const base = { elapsedMs: 3000, target: 2, syncHead };
    expect(summaryLines({ ...base, nodes: synced, outcome: 'converged' })).toEqual([
      'synced in 3.0s: all 2 nodes have head 100 (0xabababab…)',
      'peers per node: 1:2 2:1',
      'head per node: 1:100 2:100',
    ]);
    const behind = [synced[0] as TestnetNodeState, { ...(nodes[1] as TestnetNodeState) }];
    expect(summaryLines({ ...base, nodes: behind, outcome: 'timeout' })).toEqual([
      'timed out after 3.0s: 1 of 2 nodes reached head 100',
      'peers per node: 1:2 2:1',
      'head per node: 1:100 2:-',
    ]);
    // A head change is a change line.
    const moved = { ...(synced[1] as TestnetNodeState), head: { ...syncHead, number: 50 } };
    expect(changeLines(synced, [synced[0] as TestnetNodeState, moved], 2, 1000)).toHaveLength(1);
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

  it("reads each node's last dial error from its JSON status line", async () => {
    const talker = join(dir, 'status.js');
    const line = JSON.stringify({
      msg: 'status',
      peers: 0,
      table: 1,
      lastDialError: { node: 'enode://ab@127.0.0.2:1', error: 'connect ECONNREFUSED' },
    });
    await writeFile(
      talker,
      `console.log(${JSON.stringify(line)});\nsetInterval(() => {}, 1000);\n`,
    );
    const controller = new AbortController();
    const result = await runTestnet({
      nodes: 2,
      timeoutMs: 45_000,
      script: talker,
      signal: controller.signal,
      onUpdate: (states) => {
        if (states[0]?.lastDialError !== undefined) controller.abort();
      },
    });
    expect(result.outcome).toBe('interrupted');
    expect(result.nodes[0]?.lastDialError).toEqual({
      node: 'enode://ab@127.0.0.2:1',
      error: 'connect ECONNREFUSED',
    });
  });

  it('reports a node that exits as an update', async () => {
    const quitter = join(dir, 'quit.js');
    await writeFile(quitter, 'process.exit(3);\n');
    const seen: boolean[] = [];
    const result = await runTestnet({
      nodes: 2,
      timeoutMs: 45_000,
      script: quitter,
      onUpdate: (states) => seen.push(states[0]?.running ?? true),
    });
    expect(result.outcome).toBe('failed');
    expect(seen).toContain(false);
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
    expect(r.stderr).toMatch(/give it longer with --timeout, e\.g\. --timeout 2ms/);
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
