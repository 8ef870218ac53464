/**
 * discv4 packet throughput, ethp2p against @ethereumjs/devp2p in one run: each target is flooded
 * on loopback with pre-signed packets, and the replies per second are the packets it processed.
 *
 * - Ping from unknown nodes: every Ping comes from one of many keys the target has never bonded
 *   with, so the target verifies, answers with a signed Pong and (ethp2p) pings back.
 * - FindNode from bonded nodes: a few keys first bond with the target, then flood FindNode; the
 *   target verifies, checks the bond and answers with a signed Neighbors.
 *
 * ethp2p runs with its signature work inline (0 workers) and on pools of 1, 2, 4 and 8 worker
 * threads, as far as the machine has cores (issue 18): the scaling table. The flooder shares the
 * main thread with the target. Every target is measured once per round, for several rounds.
 * @module
 */

import type { Socket } from 'node:dgram';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DPT } from '@ethereumjs/devp2p';
import { silentLogger } from '@ethp2p/base';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { DiscoveryV4 } from '@ethp2p/discovery';
import { encodePacket } from '@ethp2p/discovery/wire';
import { NodeDatabase } from '@ethp2p/enode';
import { bindFlooder, type Endpoint, type FloodResult, flood } from './flood.ts';
import { median, spread } from './stats.ts';
import { formatTable } from './timing.ts';

/** One implementation under test, listening on loopback. */
interface Target {
  readonly name: string;
  readonly endpoint: Endpoint;
  close(): Promise<void>;
}

/** Requests in flight: enough to keep a pool of 8 workers fed with batches. */
const WINDOW = 128;
const WARMUP_MS = 1000;
const DURATION_MS = 3000;
const UNKNOWN_SENDERS = 512;
const BONDED_SENDERS = 8;
/** Expiration an hour ahead, in seconds: every packet stays valid for the whole run. */
const expiration = (): bigint => BigInt(Math.floor(Date.now() / 1000) + 3600);

/** Pool sizes to measure: 0 (inline), then 1, 2, 4, 8 up to the machine's cores. */
function workerCounts(): number[] {
  const cores = availableParallelism();
  return [0, ...[1, 2, 4, 8].filter((n) => n <= Math.max(1, cores))];
}

async function startEthp2p(workers: number): Promise<Target> {
  const db = await NodeDatabase.open({ logger: silentLogger });
  const node = await DiscoveryV4.listen({
    privateKey: generatePrivateKey(),
    address: '127.0.0.1',
    port: 0,
    db,
    workers,
    logger: silentLogger,
  });
  const self = node.self();
  return {
    name: ethp2pName(workers),
    endpoint: { address: '127.0.0.1', port: self.udp ?? 0 },
    close: async () => {
      await node.stop();
      await db.close();
    },
  };
}

async function startEthereumjs(): Promise<Target> {
  let socket: Socket | undefined;
  const dpt = new DPT(generatePrivateKey(), {
    endpoint: { address: '127.0.0.1', udpPort: null, tcpPort: null },
    refreshInterval: 3_600_000,
    shouldFindNeighbours: false,
    shouldGetDnsPeers: false,
    createSocket: () => {
      socket = createSocket('udp4');
      return socket;
    },
  });
  dpt.events.on('error', () => {}); // timeouts of its ping-backs to the flooder
  dpt.bind(0, '127.0.0.1');
  if (socket === undefined) throw new Error('ethereumjs DPT did not create its socket');
  await once(socket, 'listening');
  return {
    name: '@ethereumjs/devp2p',
    endpoint: { address: '127.0.0.1', port: socket.address().port },
    close: async () => dpt.destroy(),
  };
}

/** Pings from `n` fresh keys, each claiming the flooder's endpoint as its From. */
function unknownPings(target: Endpoint, from: Endpoint, n: number): Uint8Array[] {
  return Array.from({ length: n }, () => ping(generatePrivateKey(), target, from).bytes);
}

function ping(key: Uint8Array, target: Endpoint, from: Endpoint) {
  return encodePacket(
    {
      type: 'ping',
      version: 4n,
      from: { ip: from.address, udp: from.port, tcp: 0 },
      to: { ip: target.address, udp: target.port, tcp: 0 },
      expiration: expiration(),
    },
    key,
  );
}

/**
 * Bonds `key` with the target the way a real node does: Ping, then answer the target's Ping with
 * a Pong echoing its hash. Targets that never ping back (ethereumjs) are bonded after their Pong.
 */
async function bond(socket: Socket, key: Uint8Array, target: Endpoint): Promise<void> {
  const from = socket.address();
  const replies = new Set<number>();
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(finish, 1000);
    function finish(): void {
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve();
    }
    function onMessage(msg: Buffer): void {
      const type = msg[97] as number;
      replies.add(type);
      if (type === 1) {
        const pong = encodePacket(
          {
            type: 'pong',
            to: { ip: target.address, udp: target.port, tcp: 0 },
            pingHash: Uint8Array.from(msg.subarray(0, 32)),
            expiration: expiration(),
          },
          key,
        );
        socket.send(pong.bytes, target.port, target.address);
        setTimeout(finish, 50); // let the target store the bond
      }
    }
    socket.on('message', onMessage);
  });
  socket.send(
    ping(key, target, { address: from.address, port: from.port }).bytes,
    target.port,
    target.address,
  );
  await done;
}

async function findNodeFlood(socket: Socket, target: Endpoint): Promise<FloodResult> {
  const keys = Array.from({ length: BONDED_SENDERS }, () => generatePrivateKey());
  // Each key bonds from a socket of its own: ping-backs still on their way from the Ping flood
  // go to the flooder's port, not to the bonding key. Bonds are per (ID, IP), so the flood from
  // the flooder's socket (same IP) counts as bonded.
  for (const key of keys) {
    const own = await bindFlooder();
    try {
      await bond(own, key, target);
    } finally {
      own.close();
    }
  }
  const packets = keys.map(
    (key) =>
      encodePacket(
        { type: 'findnode', target: publicKey(generatePrivateKey()), expiration: expiration() },
        key,
      ).bytes,
  );
  return flood(socket, target, {
    packets,
    replyType: 4,
    window: WINDOW,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
  });
}

async function measure(
  start: () => Promise<Target>,
): Promise<{ name: string; ping: FloodResult; findnode: FloodResult }> {
  const target = await start();
  const flooder = await bindFlooder();
  try {
    const from = flooder.address();
    const pings = unknownPings(
      target.endpoint,
      { address: from.address, port: from.port },
      UNKNOWN_SENDERS,
    );
    const pingResult = await flood(flooder, target.endpoint, {
      packets: pings,
      replyType: 2,
      window: WINDOW,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
    });
    const findnode = await findNodeFlood(flooder, target.endpoint);
    return { name: target.name, ping: pingResult, findnode };
  } finally {
    flooder.close();
    await target.close();
  }
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** Rounds by default; `DISCV4_ROUNDS` overrides. Each round measures every target once. */
const DEFAULT_ROUNDS = 3;

/** One target's figures over the rounds, and its ratios to the others of the same round. */
interface Series {
  readonly name: string;
  readonly ping: number[];
  readonly findnode: number[];
  readonly cpuPing: number[];
  readonly cpuFindnode: number[];
  /** Per round: this target's rate over @ethereumjs/devp2p's in the same round. */
  readonly pingVsEjs: number[];
  readonly findnodeVsEjs: number[];
  /** Per round: this target's rate over ethp2p inline's in the same round. */
  readonly pingVsInline: number[];
  readonly findnodeVsInline: number[];
  /** Requests never answered, over every flood of this target. */
  unanswered: number;
}

function series(name: string): Series {
  return {
    name,
    ping: [],
    findnode: [],
    cpuPing: [],
    cpuFindnode: [],
    pingVsEjs: [],
    findnodeVsEjs: [],
    pingVsInline: [],
    findnodeVsInline: [],
    unanswered: 0,
  };
}

/**
 * Runs the discv4 suite: packets per second and CPU per packet for ethp2p at each pool size and
 * for @ethereumjs/devp2p, in rounds. Every round measures each target once, in an order that
 * alternates between rounds (ejs first, then last), and each ratio is taken within its round, so
 * load that comes and goes on a shared machine shows as a spread instead of skewing one side.
 */
export async function runDiscv4Bench(): Promise<void> {
  const cores = availableParallelism();
  const rounds = Number(process.env.DISCV4_ROUNDS ?? DEFAULT_ROUNDS);
  if (!Number.isSafeInteger(rounds) || rounds < 1) {
    throw new RangeError(`DISCV4_ROUNDS: expected a positive integer, got ${rounds}`);
  }
  console.log(
    `discv4: packets processed per second on loopback, Node ${process.version}, ${cores} cores, ${rounds} rounds, load ${loadText()}\n`,
  );
  const counts = workerCounts();
  const starts: (() => Promise<Target>)[] = [
    startEthereumjs,
    ...counts.map((n) => () => startEthp2p(n)),
  ];
  const all = [series('@ethereumjs/devp2p'), ...counts.map((n) => series(ethp2pName(n)))];
  for (let round = 0; round < rounds; round++) {
    const order = starts.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    const measured: Measured[] = [];
    for (const i of order) {
      await quiesce();
      measured[i] = await measure(starts[i] as () => Promise<Target>);
    }
    const ejs = measured[0] as Measured;
    const inline = measured[1] as Measured;
    for (const [i, m] of measured.entries()) {
      const s = all[i] as Series;
      s.ping.push(m.ping.perSecond);
      s.findnode.push(m.findnode.perSecond);
      s.cpuPing.push(m.ping.cpuUsPerReply);
      s.cpuFindnode.push(m.findnode.cpuUsPerReply);
      s.pingVsEjs.push(m.ping.perSecond / ejs.ping.perSecond);
      s.findnodeVsEjs.push(m.findnode.perSecond / ejs.findnode.perSecond);
      s.pingVsInline.push(m.ping.perSecond / inline.ping.perSecond);
      s.findnodeVsInline.push(m.findnode.perSecond / inline.findnode.perSecond);
      s.unanswered += m.ping.unanswered + m.findnode.unanswered;
    }
    console.log(
      `round ${round + 1}: ${measured.map((m) => `${m.name} ${m.ping.perSecond.toFixed(0)}/${m.findnode.perSecond.toFixed(0)}`).join(', ')} (Ping/FindNode per s), load ${loadText()}`,
    );
  }
  const [theirs, ...ours] = all as [Series, ...Series[]];
  const rows = ours.map((s, i) => [
    s.name,
    median(s.ping).toFixed(0),
    spread(s.pingVsEjs, false, 1),
    i === 0 ? '1.0x' : spread(s.pingVsInline, false, 2),
    median(s.findnode).toFixed(0),
    spread(s.findnodeVsEjs, false, 1),
    i === 0 ? '1.0x' : spread(s.findnodeVsInline, false, 2),
    `${median(s.cpuPing).toFixed(0)} / ${median(s.cpuFindnode).toFixed(0)}`,
  ]);
  rows.push([
    theirs.name,
    median(theirs.ping).toFixed(0),
    '1.0x',
    '',
    median(theirs.findnode).toFixed(0),
    '1.0x',
    '',
    `${median(theirs.cpuPing).toFixed(0)} / ${median(theirs.cpuFindnode).toFixed(0)}`,
  ]);
  console.log(
    `\n${formatTable(
      [
        'target',
        'Ping/s (unknown)',
        'vs ejs',
        'vs inline',
        'FindNode/s (bonded)',
        'vs ejs',
        'vs inline',
        'cpu µs/pkt ping / findnode',
      ],
      rows,
    )}`,
  );
  const skipped = [1, 2, 4, 8].filter((n) => n > Math.max(1, cores));
  if (skipped.length > 0) {
    console.log(`\n${skipped.join(', ')} workers not measured: the machine has ${cores} cores.`);
  }
  console.log(
    [
      '',
      '- rates are medians over the rounds; ratios are taken within each round: median [min-max]',
      '- CPU per packet is the whole process (target, its workers and the flooder; the flooder does no crypto)',
      `- requests never answered (each shrinks the window): ${all.map((s) => `${s.name} ${s.unanswered}`).join(', ')}`,
      `- load average at the end: ${loadText()}`,
    ].join('\n'),
  );
}

/**
 * Lets what the previous target left behind settle before the next one is measured: its timers
 * (ethereumjs's ping-backs to the flooder time out seconds later) and, with a full collection,
 * its garbage, so that every target starts from the same state. (A target measured after
 * another once ran 15% slower than when measured first; runs with this pause showed the same
 * spread, so that was the machine's noise, not the order.)
 */
async function quiesce(): Promise<void> {
  await delay(QUIESCE_MS);
  collectGarbage();
}

const QUIESCE_MS = 500;

/** `gc()`, exposed at run time so that `pnpm bench` needs no Node flag. */
const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

function ethp2pName(workers: number): string {
  return workers === 0 ? 'ethp2p inline' : `ethp2p ${workers} worker${workers > 1 ? 's' : ''}`;
}

/** The 1-minute load average, to judge how quiet the machine was. */
function loadText(): string {
  return loadavg()[0]?.toFixed(2) ?? '?';
}
