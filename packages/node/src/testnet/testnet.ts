/**
 * A local testnet: N `ethp2p node` processes on 127.0.0.1 … 127.0.0.N that find each other
 * through discovery from one bootnode, until each has its peer target or the time is up.
 * @module
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryChain } from '@ethp2p/chain';
import { bytesToHex, concatBytes } from '@ethp2p/crypto';
import { parseGenesisJson } from '@ethp2p/eth';
import { DEFAULT_DIAL_RATIO } from '@ethp2p/server';
import type { LastDialError } from '../node/status.ts';
import { type ChildHead, NodeProcess } from './child.ts';
import { testnetGenesisJson } from './genesis.ts';
import { syntheticBlocks } from './synthetic-blocks.ts';

/** Default number of nodes: fits a 2-core machine. */
export const DEFAULT_TESTNET_NODES = 4;
/** Most nodes (one loopback address each, 127.0.0.1 … 127.0.0.64). */
export const MAX_TESTNET_NODES = 64;
/** Default time to converge, the fixed part: 40 s (spawning, the bootnode, the first lookups). */
export const TESTNET_TIMEOUT_BASE_MS = 40_000;
/** Default time to converge, the part per node: 5 s (16 nodes take ~66 s on 2 cores). */
export const TESTNET_TIMEOUT_PER_NODE_MS = 5_000;

/**
 * The default time to converge for `nodes` nodes: {@link TESTNET_TIMEOUT_BASE_MS} plus
 * {@link TESTNET_TIMEOUT_PER_NODE_MS} per node (60 s for 4 nodes, 2 min for 16).
 */
export function testnetTimeoutMs(nodes: number): number {
  return TESTNET_TIMEOUT_BASE_MS + TESTNET_TIMEOUT_PER_NODE_MS * nodes;
}

/** The `ethp2p` script that each child runs. */
export const ETHP2P_SCRIPT: string = fileURLToPath(new URL('../../bin/ethp2p.js', import.meta.url));

/** One node's row in the live table and the summary. */
export interface TestnetNodeState {
  /** 1-based. */
  readonly index: number;
  readonly ip: string;
  readonly pid: number | undefined;
  readonly peers: number;
  /** Discovery table size; `null` before its first status line. */
  readonly table: number | null;
  /** Milliseconds from the start until it first had its peer target; undefined if never. */
  readonly reachedMs: number | undefined;
  readonly running: boolean;
  /** Its last failed dial, from its status line: why it may lack peers. */
  readonly lastDialError?: LastDialError | undefined;
  /** Its chain head, from its status line. */
  readonly head?: ChildHead | undefined;
}

/** How a testnet run ended. */
export type TestnetOutcome = 'converged' | 'timeout' | 'interrupted' | 'failed';

/** The result of {@link runTestnet}. */
export interface TestnetResult {
  readonly outcome: TestnetOutcome;
  /** Milliseconds from the start to the end (to convergence when converged). */
  readonly elapsedMs: number;
  /** Peers each node should reach. */
  readonly target: number;
  readonly nodes: readonly TestnetNodeState[];
  /** What went wrong when `outcome` is `failed`. */
  readonly error?: string;
  /** Sync mode: the head every node must reach (node 1's chain). */
  readonly syncHead?: ChildHead | undefined;
}

/** Options of {@link runTestnet}. */
export interface TestnetOptions {
  /** Number of nodes, 2 … {@link MAX_TESTNET_NODES}. */
  readonly nodes: number;
  /** Give up after this long (default {@link testnetTimeoutMs}). */
  readonly timeoutMs?: number;
  /** Stops the run (outcome `interrupted`). */
  readonly signal?: AbortSignal;
  /** Called with every node's state whenever a status line arrives or a node exits. */
  readonly onUpdate?: (nodes: readonly TestnetNodeState[], elapsedMs: number) => void;
  /** The script to run (default {@link ETHP2P_SCRIPT}). */
  readonly script?: string;
  /**
   * Sync mode: node 1 starts with a chain of this many empty synthetic blocks (executed
   * by every node)
   * and the others with its genesis only; the run converges when every node has node 1's head
   * hash. Off (peers mode) when undefined.
   */
  readonly syncBlocks?: number;
}

/** The longest chain the sync mode builds (it is generated in memory before the nodes start). */
export const MAX_TESTNET_SYNC_BLOCKS = 100_000;

/** Writes the sync mode's chain.rlp after the testnet genesis; returns its head. */
async function writeSyncChain(path: string, blocks: number): Promise<ChildHead> {
  const chain = await MemoryChain.fromGenesis(parseGenesisJson(testnetGenesisJson()));
  // Empty blocks: every node executes what it imports, and synthetic transactions carry no
  // valid signature.
  const rlps = await syntheticBlocks(chain.head(), blocks);
  const head = await chain.importBlocks(rlps);
  await writeFile(path, concatBytes(...rlps));
  return { number: Number(head.number), hash: `0x${bytesToHex(head.hash)}` };
}

/** The `--maxpeers` each node gets: enough that its dial target covers every other node. */
export function testnetMaxPeers(nodes: number): number {
  return DEFAULT_DIAL_RATIO * (nodes - 1);
}

/**
 * The peers a node should reach: min(N − 1, its dynamic dial target), the dial target being
 * max(1, ⌊maxPeers / dialRatio⌋) as in the server.
 */
export function testnetPeerTarget(
  nodes: number,
  maxPeers: number = testnetMaxPeers(nodes),
): number {
  const dialTarget = Math.max(1, Math.floor(maxPeers / DEFAULT_DIAL_RATIO));
  return Math.min(nodes - 1, dialTarget);
}

/**
 * Runs a testnet until every node has {@link testnetPeerTarget} peers, the timeout passes, or
 * `signal` aborts. Every child process is stopped and awaited, and the temporary directory
 * removed, before it resolves; a process `exit` handler kills the children if the parent dies
 * first.
 * @throws {RangeError} for a node count outside 2 … {@link MAX_TESTNET_NODES}
 */
export async function runTestnet(options: TestnetOptions): Promise<TestnetResult> {
  const count = options.nodes;
  if (!Number.isSafeInteger(count) || count < 2 || count > MAX_TESTNET_NODES) {
    throw new RangeError(`nodes: expected 2-${MAX_TESTNET_NODES}, got ${String(count)}`);
  }
  const timeoutMs = options.timeoutMs ?? testnetTimeoutMs(count);
  const maxPeers = testnetMaxPeers(count);
  const target = testnetPeerTarget(count, maxPeers);
  const script = options.script ?? ETHP2P_SCRIPT;
  const start = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'ethp2p-testnet-'));
  const genesis = join(dir, 'genesis.json');
  await writeFile(genesis, testnetGenesisJson());
  const chainFile = join(dir, 'chain.rlp');
  const syncHead =
    options.syncBlocks === undefined
      ? undefined
      : await writeSyncChain(chainFile, options.syncBlocks);

  const children: NodeProcess[] = [];
  const reached: (number | undefined)[] = [];
  const killAll = (): void => {
    for (const c of children) c.killNow();
  };
  process.on('exit', killAll);

  // The abort reason tells the two apart by identity, never by its message.
  const timedOut = new Error('testnet timed out');
  const controller = new AbortController();
  const timeout = setTimeout(() => controller.abort(timedOut), Math.max(0, timeoutMs));
  const onAbort = (): void => controller.abort(new Error('testnet interrupted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const signal = controller.signal;

  const states = (): TestnetNodeState[] =>
    children.map((c, i) => ({
      index: i + 1,
      ip: ipOf(i),
      pid: c.pid,
      peers: c.peers,
      table: c.table,
      reachedMs: reached[i],
      running: c.running,
      lastDialError: c.lastDialError,
      head: c.head,
    }));

  let outcome: TestnetOutcome = 'failed';
  let error: string | undefined;
  let endMs: number | undefined;
  let final: TestnetNodeState[] = [];
  try {
    const spawnNode = async (i: number, bootnode: string | undefined): Promise<NodeProcess> => {
      const datadir = join(dir, `node${i + 1}`);
      await mkdir(datadir);
      const ip = ipOf(i);
      const args = [
        'node',
        '--genesis',
        genesis,
        '--datadir',
        datadir,
        '--listen.ip',
        ip,
        '--port',
        '0',
        '--nat',
        `extip:${ip}`,
        '--log.format',
        'json',
        '--status.interval',
        '1s',
        '--maxpeers',
        String(maxPeers),
        ...(bootnode === undefined ? [] : ['--bootnodes', bootnode]),
        ...(syncHead !== undefined && i === 0 ? ['--chain', chainFile] : []),
      ];
      const child = new NodeProcess({ script, args });
      children.push(child);
      return child;
    };

    const converged = new Promise<void>((resolve, reject) => {
      const check = (): void => {
        const now = Date.now() - start;
        children.forEach((c, idx) => {
          const done = syncHead === undefined ? c.peers >= target : c.head?.hash === syncHead.hash;
          if (reached[idx] === undefined && done) reached[idx] = now;
        });
        options.onUpdate?.(states(), now);
        if (children.length === count && reached.filter((r) => r !== undefined).length === count) {
          endMs = now;
          resolve();
        }
      };
      const watch = (c: NodeProcess, i: number): void => {
        c.events.on('status', check);
        c.events.on('exit', ({ code, signal: sig }) => {
          if (!signal.aborted && endMs === undefined) {
            options.onUpdate?.(states(), Date.now() - start);
            const tail = c.stderrTail.join(' | ');
            reject(
              new Error(
                `node ${i + 1} exited (${sig ?? `code ${code}`})${tail === '' ? '' : `: ${tail}`}`,
              ),
            );
          }
        });
      };
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      (async () => {
        const boot = await spawnNode(0, undefined);
        watch(boot, 0);
        const enode = await boot.waitForEnode(signal);
        for (let i = 1; i < count; i++) watch(await spawnNode(i, enode), i);
      })().catch(reject);
    });
    try {
      await converged;
      outcome = 'converged';
    } catch (err) {
      if (signal.aborted) {
        outcome = signal.reason === timedOut ? 'timeout' : 'interrupted';
      } else {
        outcome = 'failed';
        error = err instanceof Error ? err.message : String(err);
      }
    }
  } finally {
    clearTimeout(timeout);
    options.signal?.removeEventListener('abort', onAbort);
    final = states();
    await Promise.all(children.map((c) => c.stop()));
    process.off('exit', killAll);
    await rm(dir, { recursive: true, force: true });
  }
  return {
    outcome,
    elapsedMs: endMs ?? Date.now() - start,
    target,
    nodes: final.map((s) => ({ ...s, running: false })),
    ...(error === undefined ? {} : { error }),
    ...(syncHead === undefined ? {} : { syncHead }),
  };
}

/** The loopback address of node `i` (0-based): 127.0.0.(i + 1). */
export function ipOf(i: number): string {
  return `127.0.0.${i + 1}`;
}
