/**
 * One attack against an in-process full node on loopback, probed by a legitimate peer and a
 * discv4 ping throughout: the figures issue 15's "Done means" asks for.
 * @module
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { builtWorkerExecArgv } from '@ethp2p/base';
import { fullGc } from '@ethp2p/base/testing';
import type { Node } from '@ethp2p/enode';
import type { ChainReader, ServeBudgetMetrics } from '@ethp2p/eth';
import { FullNode, type FullNodeOptions, networkChain } from '@ethp2p/node';
import type { IngressBudgetStats } from '@ethp2p/rlpx';
import {
  Attackers,
  type AttackPlan,
  type AttackWorkerData,
  attackOf,
  describeAttackers,
} from './attackers.ts';
import { bulkChain } from './bulk-chain.ts';
import { LoopDelay, Pinger, RssSampler, timeEthHandshake } from './probes.ts';
import { Stallers } from './stallers.ts';

/** The node under attack. */
export interface Target {
  readonly node: FullNode;
  readonly chain: ChainReader;
  readonly enode: Node;
  readonly port: number;
  close(): Promise<void>;
}

/** What a test may set on the target node. */
export type TargetOptions = Pick<
  FullNodeOptions,
  'maxPendingPerIp' | 'ingressBudget' | 'serveBudget'
>;

/** A full node on 127.0.0.1 serving {@link bulkChain}, with discovery and without dialing. */
export async function startTarget(options: TargetOptions = {}): Promise<Target> {
  const datadir = await mkdtemp(join(tmpdir(), 'ethp2p-attack-'));
  const chain = bulkChain(networkChain('sepolia'));
  const node = new FullNode({
    datadir,
    chain,
    listenIp: '127.0.0.1',
    port: 0,
    nat: 'extip:127.0.0.1',
    noDial: true,
    bootnodes: [],
    discoveryV5: false,
    statusIntervalMs: 0,
    ...options,
  });
  await node.start();
  const enode = node.self();
  return {
    node,
    chain,
    enode,
    port: enode.tcp ?? 0,
    async close() {
      await node.stop();
      await rm(datadir, { recursive: true, force: true });
    },
  };
}

/** A running attack. */
export interface RunningAttack {
  /** What the attack did, for the report. */
  describe(): string;
  stop(): Promise<void>;
}

/** An attack by name, sized by its parameters. */
export interface AttackSpec {
  readonly name: string;
  /** Starts the attack; `worker` runs attacking peers in a child process (needs the build). */
  start(target: Target, options: { readonly worker: boolean }): Promise<RunningAttack>;
}

/** Attack 1: `peers` peers each send one RLP bomb of `items` items, replaced when dropped. */
export function bombAttack(peers: number, items: number): AttackSpec {
  return attackersSpec(`rlp bomb: ${peers} peers, ${items} items each, reconnecting`, peers, {
    kind: 'bomb',
    items,
  });
}

/** Attack 2: `peers` peers each send `times` GetBlockBodies of `hashes` hashes. */
export function bodiesAttack(peers: number, hashes: number, times: number): AttackSpec {
  return attackersSpec(
    `GetBlockBodies: ${peers} peers × ${times} requests of ${hashes} hashes`,
    peers,
    { kind: 'bodies', hashes, times },
  );
}

/** Attack 2 again, with GetBlockHeaders of `amount` headers. */
export function headersAttack(peers: number, amount: number, times: number): AttackSpec {
  return attackersSpec(
    `GetBlockHeaders: ${peers} peers × ${times} requests of ${amount} headers`,
    peers,
    { kind: 'headers', amount, times },
  );
}

/** Attack 3: `addresses` × `perAddress` stalled connections, reopened as they close. */
export function slowlorisAttack(addresses: number, perAddress: number): AttackSpec {
  return {
    name: `slowloris: ${addresses * perAddress} stalled connections from ${addresses} IPs`,
    async start(t) {
      const stallers = new Stallers(t.port, addresses, perAddress);
      return {
        describe: () => `${stallers.openings} connections opened`,
        stop: () => stallers.stop(),
      };
    },
  };
}

function attackersSpec(name: string, count: number, plan: AttackPlan): AttackSpec {
  return {
    name,
    async start(t, { worker }) {
      if (worker) return startWorker({ enode: t.enode.enodeUrl(), count, plan });
      const attackers = new Attackers({
        target: t.enode,
        chain: t.chain,
        attack: attackOf(plan),
        count,
      });
      await attackers.start();
      return {
        describe: () => describeAttackers(attackers),
        stop: () => attackers.stop(),
      };
    },
  };
}

/**
 * Attackers in a child process: their encoding and framing run on another event loop, and the
 * frames they queue while the target holds them back count in their RSS, not the target's.
 */
async function startWorker(data: AttackWorkerData): Promise<RunningAttack> {
  // The built script, found the same way from src/attack (tests) and dist/attack (the bench).
  const script = fileURLToPath(new URL('../../dist/attack/worker.js', import.meta.url));
  const child = fork(script, [JSON.stringify(data)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: builtWorkerExecArgv(),
  });
  const exited = once(child, 'exit');
  const [started] = (await Promise.race([
    once(child, 'message'),
    exited.then(() => {
      throw new Error('attack process exited before its attackers started');
    }),
  ])) as [string];
  let described = started;
  return {
    describe: () => described,
    async stop() {
      child.send('stop');
      [described] = (await once(child, 'message')) as [string];
      child.kill();
      await exited;
    },
  };
}

/** What one attack run measured. */
export interface AttackFigures {
  readonly name: string;
  readonly attack: string;
  /** Legitimate eth handshakes during the attack, in ms (failed ones are not in it). */
  readonly handshakesMs: readonly number[];
  readonly handshakeFailures: number;
  /** discv4 ping round trips during the attack, in ms. */
  readonly pingsMs: readonly number[];
  readonly pingFailures: number;
  /** RSS before, highest during, and after the attack (settled), in bytes. */
  readonly rss: { readonly baseline: number; readonly peak: number; readonly after: number };
  /**
   * Bytes in ArrayBuffers (Buffers and Uint8Arrays: received messages, responses) and in the
   * JavaScript heap, at the RSS peak.
   */
  readonly peakMemory: { readonly arrayBuffers: number; readonly heapUsed: number };
  /** The target server's ingress budget at the end: the most bytes it held at once. */
  readonly ingress: IngressBudgetStats;
  /** Event-loop delay during the attack, in ms. */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The target's serve budget counters at the end. */
  readonly budget: ServeBudgetMetrics;
  /** A handshake and a ping after the attack stopped. */
  readonly afterHandshakeMs: number;
  readonly afterPingMs: number;
}

/** How long to attack and how often to probe. */
export interface RunOptions {
  /** Attacking peers in a child process (the bench) or in this event loop (tests). */
  readonly worker: boolean;
  readonly durationMs: number;
  /** Time between the end of one probe and the next. */
  readonly probeGapMs: number;
  /** A handshake slower than this counts as failed. */
  readonly handshakeLimitMs: number;
  /** Time after the attack before RSS is read again. */
  readonly settleMs: number;
  /** The target's ingress and serve budgets (default: the node's defaults). */
  readonly target?: Pick<TargetOptions, 'ingressBudget' | 'serveBudget'>;
}

/** Runs `spec` against a fresh target and probes it during and after. */
export async function runAttack(spec: AttackSpec, options: RunOptions): Promise<AttackFigures> {
  const target = await startTarget({
    ...(spec.name.startsWith('slowloris') ? {} : { maxPendingPerIp: 256 }),
    ...options.target,
  });
  const pinger = await Pinger.start();
  try {
    const probe = () => timeEthHandshake(target.enode, target.chain, options.handshakeLimitMs);
    await probe();
    await pinger.ping(target.enode);
    await settle();
    const baseline = process.memoryUsage.rss();
    const rss = new RssSampler();
    const loop = new LoopDelay();
    const attack = await spec.start(target, { worker: options.worker });
    const handshakesMs: number[] = [];
    const pingsMs: number[] = [];
    let handshakeFailures = 0;
    let pingFailures = 0;
    const until = performance.now() + options.durationMs;
    while (performance.now() < until) {
      const [h, p] = await Promise.allSettled([probe(), pinger.ping(target.enode)]);
      if (h.status === 'fulfilled') handshakesMs.push(h.value);
      else handshakeFailures++;
      if (p.status === 'fulfilled') pingsMs.push(p.value);
      else pingFailures++;
      await delay(options.probeGapMs);
    }
    const loopDelayMs = loop.stop();
    await attack.stop();
    const described = attack.describe();
    const peak = rss.peak;
    const peakMemory = rss.peakMemory;
    rss.stop();
    await delay(options.settleMs);
    await settle();
    const after = process.memoryUsage.rss();
    const afterHandshakeMs = await probe();
    const afterPingMs = await pinger.ping(target.enode);
    return {
      name: spec.name,
      attack: described,
      handshakesMs,
      handshakeFailures,
      pingsMs,
      pingFailures,
      rss: { baseline, peak, after },
      peakMemory,
      ingress: target.node.server?.ingressMetrics ?? NO_INGRESS,
      loopDelayMs,
      budget: target.node.serveBudget.metrics,
      afterHandshakeMs,
      afterPingMs,
    };
  } finally {
    await pinger.stop();
    await target.close();
  }
}

const NO_INGRESS: IngressBudgetStats = {
  heldBytes: 0,
  peakHeldBytes: 0,
  waiting: 0,
  grants: 0,
  waits: 0,
};

/**
 * Full GCs a moment apart until the ArrayBuffers stop shrinking (at most 2 s). V8 frees the
 * memory of dead ArrayBuffers on a sweeper task after the GC that found them, so RSS read right
 * after one `gc()` still counts every message of the attack (measured: 305 MiB of ArrayBuffers
 * right after the GC, 2 MiB 0.5 s later; on a loaded machine 0.5 s was not always enough).
 */
export async function settle(): Promise<void> {
  fullGc();
  let last = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 8; i++) {
    await delay(250);
    fullGc();
    const now = process.memoryUsage().arrayBuffers;
    if (i > 0 && now >= last - 1024 * 1024) return;
    last = now;
  }
}
