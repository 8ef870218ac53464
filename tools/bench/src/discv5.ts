/**
 * discv5 throughput, ethp2p against @chainsafe/discv5 in one run. The same ethp2p clients drive
 * both targets on loopback, so the client side costs the same in both columns.
 *
 * - Handshakes: many fresh client identities ping the target once each; every ping is a full
 *   handshake (random packet, WHOAREYOU, handshake packet with the client's record, PONG).
 * - PING/PONG: a few clients with established sessions keep a window of pings in flight.
 * @module
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { Discv5 } from '@chainsafe/discv5';
import { type ENR, SignableENR } from '@chainsafe/enr';
import { silentLogger } from '@ethp2p/base';
import { generatePrivateKey } from '@ethp2p/crypto';
import { bindUdpSocket } from '@ethp2p/discovery';
import { DiscV5Rpc } from '@ethp2p/discovery/v5-rpc';
import { Enr, LocalNode, type LocalSeqStore, Node } from '@ethp2p/enode';
import { multiaddr } from '@multiformats/multiaddr';
import { formatTable } from './timing.ts';

/** One implementation under test, listening on 127.0.0.1. */
interface Target {
  readonly name: string;
  readonly node: Node;
  close(): Promise<void>;
}

const HANDSHAKES = 400;
const HANDSHAKE_WINDOW = 16;
const PING_CLIENTS = 8;
const PING_WINDOW = 64;
const WARMUP_MS = 1000;
const DURATION_MS = 3000;

const noSeqStore: LocalSeqStore = { localSeq: async () => 0n, storeLocalSeq: async () => {} };

/** A DiscV5Rpc on its own loopback socket with a fresh key. */
async function rpcNode(): Promise<{ rpc: DiscV5Rpc; node: Node }> {
  const privateKey = generatePrivateKey();
  const socket = await bindUdpSocket({ address: '127.0.0.1' });
  const localNode = await LocalNode.create({ privateKey, db: noSeqStore, logger: silentLogger });
  localNode.setStaticIp('127.0.0.1');
  localNode.setFallbackUdpPort(socket.local.port);
  const rpc = new DiscV5Rpc({ privateKey, localNode, socket, logger: silentLogger });
  return { rpc, node: localNode.node() };
}

async function startEthp2p(): Promise<Target> {
  const { rpc, node } = await rpcNode();
  return { name: 'ethp2p', node, close: () => rpc.close() };
}

/** A free UDP port on loopback (chainsafe needs the port in its record before it binds). */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  return port;
}

async function startChainsafe(): Promise<Target> {
  const raw = generatePrivateKey();
  const port = await freePort();
  const enr = SignableENR.createV4(raw);
  enr.ip = '127.0.0.1';
  enr.udp = port;
  const discv5 = Discv5.create({
    enr,
    // discv5 reads only `type` and `raw` of the libp2p key.
    privateKey: { type: 'secp256k1', raw } as unknown as Parameters<
      typeof Discv5.create
    >[0]['privateKey'],
    bindAddrs: { ip4: multiaddr(`/ip4/127.0.0.1/udp/${port}`) },
  });
  await discv5.start();
  const record: ENR = discv5.enr.toENR();
  return {
    name: '@chainsafe/discv5',
    node: Node.fromEnr(Enr.decode(record.encode())),
    close: () => discv5.stop(),
  };
}

/** Handshakes completed per second by fresh clients, and how many failed (timed out). */
async function handshakeRate(target: Node): Promise<{ perSecond: number; failed: number }> {
  const clients = await Promise.all(Array.from({ length: HANDSHAKES }, rpcNode));
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < clients.length) {
      const c = clients[next++] as { rpc: DiscV5Rpc };
      await c.rpc.ping(target).catch(() => {
        failed += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: HANDSHAKE_WINDOW }, worker));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.rpc.close()));
  if (failed === HANDSHAKES) throw new Error('every handshake failed');
  return { perSecond: (HANDSHAKES - failed) / seconds, failed };
}

/** Pings per second over established sessions, after a warm-up. */
async function pingRate(target: Node): Promise<number> {
  const clients = await Promise.all(Array.from({ length: PING_CLIENTS }, rpcNode));
  for (const c of clients) await c.rpc.ping(target);
  let done = 0;
  let counting = false;
  let stop = false;
  const worker = async (i: number): Promise<void> => {
    const c = clients[i % clients.length] as { rpc: DiscV5Rpc };
    while (!stop) {
      await c.rpc.ping(target).then(
        () => {
          if (counting) done += 1;
        },
        () => {},
      );
    }
  };
  const workers = Array.from({ length: PING_WINDOW }, (_, i) => worker(i));
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  counting = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, DURATION_MS));
  counting = false;
  const seconds = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(workers);
  await Promise.all(clients.map((c) => c.rpc.close()));
  return done / seconds;
}

async function measure(
  start: () => Promise<Target>,
): Promise<{ name: string; handshakes: { perSecond: number; failed: number }; pings: number }> {
  const target = await start();
  try {
    const handshakes = await handshakeRate(target.node);
    const pings = await pingRate(target.node);
    return { name: target.name, handshakes, pings };
  } finally {
    await target.close();
  }
}

/** Runs the discv5 suite and prints handshakes and pings per second with the ratio. */
export async function runDiscv5Bench(): Promise<void> {
  console.log(`discv5: requests answered per second on loopback, Node ${process.version}\n`);
  const ours = await measure(startEthp2p);
  const theirs = await measure(startChainsafe);
  const row = (label: string, a: number, b: number, note = ''): string[] => [
    label,
    a.toFixed(0),
    b.toFixed(0),
    `${(a / b).toFixed(1)}x`,
    note,
  ];
  const failures = `${ours.handshakes.failed} / ${theirs.handshakes.failed} of ${HANDSHAKES} timed out`;
  console.log(
    formatTable(
      ['per second', ours.name, theirs.name, 'ratio', 'note'],
      [
        row(
          `Handshakes (${HANDSHAKE_WINDOW} in flight)`,
          ours.handshakes.perSecond,
          theirs.handshakes.perSecond,
          failures,
        ),
        row(`PING/PONG (${PING_WINDOW} in flight)`, ours.pings, theirs.pings),
      ],
    ),
  );
  console.log('\nThe clients are ethp2p DiscV5Rpc nodes in the same process for both targets.');
}
