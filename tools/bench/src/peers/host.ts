/**
 * A host process of `pnpm bench peers`: starts the node under test (ours or an
 * @ethereumjs/devp2p node), forks the peer workers against it, and measures the node alone:
 * heap and RSS after GC with no peers and with the idle peers, then (ours only) a phase of
 * transaction gossip with its throughput, event-loop delay and CPU. Sends one
 * {@link HostFigures} to the bench and exits.
 * @module
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import type { Peer as EjsPeer } from '@ethereumjs/devp2p';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { createEjsNode, ethOf, listenEjs } from '../ejs-node.ts';
import { startBenchNode } from './bench-node.ts';
import type { PeerCounts } from './bench-peers.ts';
import type { GossipFigures, HostData, HostFigures } from './protocol.ts';
import { countsSince, PeerWorkers } from './workers.ts';

const send = process.send?.bind(process);
if (send === undefined) throw new TypeError('peers host: expected to run as a forked child');
const data = JSON.parse(process.argv[2] ?? '{}') as HostData;
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new TypeError('peers host: run with --expose-gc');

/** How long the peers may take to connect, per 100 peers. */
const CONNECT_MS_PER_100 = 15_000;

/** The node under test, whichever it is. */
interface Target {
  readonly enode: string;
  readonly ethVersion: number;
  /** eth message counters (ours): by direction, by code. */
  messages?(): { readonly in: Map<number, number>; readonly out: Map<number, number> };
  /** Transactions new to the pool so far (ours). */
  txsAdded?(): number;
  stop(): Promise<void>;
}

async function startOurs(peers: number): Promise<Target> {
  const { node, stop } = await startBenchNode(peers + 16);
  let added = 0;
  node.txPool.events.on('txs:added', ({ hashes }) => {
    added += hashes.length;
  });
  return {
    enode: node.self().enodeUrl(),
    ethVersion: 69,
    messages() {
      const counts = { in: new Map<number, number>(), out: new Map<number, number>() };
      for (const p of node.server?.metrics.messages ?? []) {
        if (p.protocol !== 'eth') continue;
        for (const c of p.codes) {
          counts.in.set(c.code, (counts.in.get(c.code) ?? 0) + c.ingressPackets);
          counts.out.set(c.code, (counts.out.get(c.code) ?? 0) + c.egressPackets);
        }
      }
      return counts;
    },
    txsAdded: () => added,
    stop,
  };
}

async function startEjs(peers: number): Promise<Target> {
  const key = generatePrivateKey();
  let errors = 0;
  const rlpx = createEjsNode(key, peers + 16, () => {
    errors++;
  });
  // A Status both ends agree on: the peers echo it.
  const status = {
    td: Uint8Array.of(1),
    bestHash: new Uint8Array(32).fill(0x11),
    genesisHash: new Uint8Array(32).fill(0x22),
  };
  rlpx.events.on('peer:added', (peer: EjsPeer) => {
    try {
      ethOf(peer).sendStatus(status);
    } catch {
      errors++;
    }
  });
  const port = await listenEjs(rlpx, AbortSignal.timeout(10_000));
  const enode = Node.fromPublicKey(publicKey(key), { ip: '127.0.0.1', tcp: port, udp: port });
  return {
    enode: enode.enodeUrl(),
    ethVersion: 68,
    async stop() {
      rlpx.destroy();
      if (errors > 0) console.error(`ejs node: ${errors} errors`);
    },
  };
}

function loopFigures(h: IntervalHistogram): { p50: number; p99: number; max: number } {
  return {
    p50: h.percentile(50) / 1e6,
    p99: h.percentile(99) / 1e6,
    max: h.max / 1e6,
  };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function settledMemory(): { heap: number; rss: number } {
  collect?.();
  collect?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/** The eth codes counted in the gossip figures. */
const CODE = { transactions: 0x02, announcement: 0x08, getPooled: 0x09, pooled: 0x0a } as const;

async function gossip(target: Target, workers: PeerWorkers): Promise<GossipFigures> {
  const messages = target.messages as NonNullable<Target['messages']>;
  const txsAdded = target.txsAdded as NonNullable<Target['txsAdded']>;
  const everyMs = 50;
  const perTick = (data.txRate * everyMs) / 1000 / data.perAnnouncement;
  const peersPerTick = Math.max(1, Math.round(perTick / data.workers));
  const before = messages();
  const txsBefore = txsAdded();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const countsBefore = await workers.command({
    cmd: 'gossip',
    peers: peersPerTick,
    perPeer: data.perAnnouncement,
    everyMs,
  });
  await delay(data.gossipMs);
  const countsAfter = await workers.command({ cmd: 'quiet' });
  const seconds = (performance.now() - started) / 1000;
  const cpuSpent = cpuMs(cpu);
  loop.disable();
  // Let the last fetches and relays finish before the heap is read.
  await delay(1_000);
  const { heap: heapAfter } = settledMemory();
  const after = messages();
  const diff = (dir: 'in' | 'out', code?: number): number => {
    if (code !== undefined) return (after[dir].get(code) ?? 0) - (before[dir].get(code) ?? 0);
    let n = 0;
    for (const [c, v] of after[dir]) n += v - (before[dir].get(c) ?? 0);
    return n;
  };
  const l = loopFigures(loop);
  return {
    seconds,
    announcementsIn: diff('in', CODE.announcement),
    pooledIn: diff('in', CODE.pooled),
    messagesIn: diff('in'),
    announcementsOut: diff('out', CODE.announcement),
    transactionsOut: diff('out', CODE.transactions),
    requestsOut: diff('out', CODE.getPooled),
    messagesOut: diff('out'),
    txsAdded: txsAdded() - txsBefore,
    peers: countsSince(countsBefore, countsAfter),
    loopP50Ms: l.p50,
    loopP99Ms: l.p99,
    loopMaxMs: l.max,
    cpuMs: cpuSpent,
    heapAfter,
  };
}

async function main(): Promise<HostFigures> {
  const notes: string[] = [];
  const target = data.stack === 'ethp2p' ? await startOurs(data.peers) : await startEjs(data.peers);
  // Written before the baseline is read, so what the snapshot leaves behind is not a peer's.
  if (data.heapSnapshot !== undefined) {
    writeHeapSnapshot(data.heapSnapshot.replace(/(\.heapsnapshot)?$/, '-before.heapsnapshot'));
  }
  const before = settledMemory();
  const workers = PeerWorkers.start(target.enode, data.peers, data.workers, target.ethVersion);
  try {
    const started = performance.now();
    const timeout = Math.max(30_000, (data.peers / 100) * CONNECT_MS_PER_100);
    const up: PeerCounts = await workers.until((c) => c.ready >= data.peers, timeout);
    const connectSeconds = (performance.now() - started) / 1000;
    if (up.ready < data.peers) notes.push(`${up.ready} of ${data.peers} peers connected`);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu = process.cpuUsage();
    const idleStarted = performance.now();
    await delay(data.settleMs);
    const idleCpuMsPerS = cpuMs(cpu) / ((performance.now() - idleStarted) / 1000);
    loop.disable();
    const idle = settledMemory();
    const connected = (await workers.command({ cmd: 'counts' })).ready;
    if (data.heapSnapshot !== undefined) writeHeapSnapshot(data.heapSnapshot);
    let gossipFigures: GossipFigures | null = null;
    if (data.gossipMs > 0 && target.messages !== undefined) {
      gossipFigures = await gossip(target, workers);
    } else if (data.gossipMs > 0) {
      notes.push('no gossip: @ethereumjs/devp2p has no transaction pool or relay');
    }
    return {
      stack: data.stack,
      peers: data.peers,
      connected,
      connectSeconds,
      heapBefore: before.heap,
      heapIdle: idle.heap,
      rssBefore: before.rss,
      rssIdle: idle.rss,
      idleLoopP99Ms: loopFigures(loop).p99,
      idleCpuMsPerS,
      gossip: gossipFigures,
      notes,
    };
  } finally {
    await workers.stop();
    await target.stop();
  }
}

send(await main(), () => process.disconnect());
