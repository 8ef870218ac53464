/**
 * Interop with @ethereumjs/devp2p's DPT (discv4) on loopback, in both directions (issue 3 §5).
 * Everything waits on events under `AbortSignal.timeout`; nothing sleeps.
 */

import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { DPT } from '@ethereumjs/devp2p';
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node, NodeDatabase, nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';

/** Faster than geth's defaults so the test stays short; the protocol flow is unchanged. */
const config = { bondWaitMs: 20, responseTimeoutMs: 300 };

interface EjsNode {
  readonly dpt: DPT;
  readonly port: number;
  readonly publicKey: Uint8Array;
  /** Errors the DPT reported, other than timeouts of its own requests. */
  readonly errors: string[];
  asNode(): Node;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startEjs(options: { refreshInterval?: number } = {}): Promise<EjsNode> {
  const key = generatePrivateKey();
  let socket: Socket | undefined;
  const dpt = new DPT(key, {
    endpoint: { address: '127.0.0.1', udpPort: null, tcpPort: null },
    refreshInterval: options.refreshInterval ?? 3_600_000,
    shouldFindNeighbours: true,
    shouldGetDnsPeers: false,
    timeout: 2000,
    createSocket: () => {
      socket = createSocket('udp4');
      return socket;
    },
  });
  const errors: string[] = [];
  dpt.events.on('error', (err: Error) => {
    if (!/timeout/i.test(err.message)) errors.push(err.message);
  });
  dpt.bind(0, '127.0.0.1');
  if (socket === undefined) throw new Error('DPT did not create its socket');
  await once(socket, 'listening');
  const port = socket.address().port;
  cleanups.push(() => dpt.destroy());
  const pub = publicKey(key);
  return {
    dpt,
    port,
    publicKey: pub,
    errors,
    asNode: () => Node.fromPublicKey(pub, { ip: '127.0.0.1', udp: port }),
  };
}

async function startOurs(
  workers: number,
  bootnodes: readonly Node[] = [],
  db?: NodeDatabase,
): Promise<DiscoveryV4> {
  const node = await DiscoveryV4.listen({
    privateKey: generatePrivateKey(),
    bootnodes,
    config,
    workers,
    logger: silentLogger,
    ...(db === undefined ? {} : { db }),
  });
  cleanups.push(() => node.stop());
  return node;
}

/** Resolves when `dpt` has a peer whose 64-byte ID is `pub`. */
function ejsKnows(dpt: DPT, pub: Uint8Array, signal: AbortSignal): Promise<void> {
  const want = bytesToHex(pub);
  const holds = (): boolean => dpt.getPeers().some((p) => p.id && bytesToHex(p.id) === want);
  return waitFor(holds, {
    what: `ethereumjs knows ${want.slice(0, 8)}`,
    on: { emitters: [dpt.events], events: ['peer:added'] },
    signal,
  });
}

/** Resolves when our node's table holds the node with public key `pub`. */
function oursKnows(node: DiscoveryV4, pub: Uint8Array, signal: AbortSignal): Promise<void> {
  const want = bytesToHex(pub);
  const holds = (): boolean => node.nodes().some((n) => bytesToHex(n.publicKey) === want);
  return waitFor(holds, {
    what: `our table holds ${want.slice(0, 8)}`,
    on: { emitters: [node.events], events: ['node:added'] },
    signal,
  });
}

// Signature work inline (0) and on a pool of 2 worker threads (issue 18; the built worker).
describe.each([0, 2])('ethp2p discovery (%i workers) with an @ethereumjs/devp2p DPT', (workers) => {
  it('pings and bonds with it, gets its Neighbors, and puts it and its peers in our table', async () => {
    const signal = AbortSignal.timeout(10_000);
    const ejs = await startEjs();
    const ejsPeer = await startEjs();
    // ethereumjs learns a peer of its own, which it can then tell us about.
    await ejs.dpt.addPeer({ address: '127.0.0.1', udpPort: ejsPeer.port });
    await ejsKnows(ejs.dpt, ejsPeer.publicKey, signal);

    const db = await NodeDatabase.open();
    cleanups.push(() => db.close());
    const ours = await startOurs(workers, [ejs.asNode()], db);
    // Our first refresh bonded with it (its Pong to our Ping is stored) and ran FindNode lookups
    // through it (its Neighbors arrived). The bootnode itself enters the table without any
    // exchange, so table membership alone proves nothing.
    await ours.refresh();
    expect(
      await db.lastPongReceived(nodeIdFromPublicKey(ejs.publicKey), '127.0.0.1'),
    ).toBeGreaterThan(0);
    expect(ours.metrics.packetsIn.neighbors).toBeGreaterThan(0);
    await oursKnows(ours, ejs.publicKey, signal);
    await oursKnows(ours, ejsPeer.publicKey, signal);
    const pong = await ours.ping(ejs.asNode(), { signal });
    expect(pong.rttMs).toBeGreaterThanOrEqual(0);
    expect(pong.seq).toBeUndefined(); // ethereumjs sends no EIP-868 seq
    expect(ejs.errors).toEqual([]);
  });

  it('is found by a DPT bootstrapping from us, which then finds the nodes we know', async () => {
    const signal = AbortSignal.timeout(10_000);
    const ours = await startOurs(workers);
    const friends = [
      await startOurs(workers, [ours.self()]),
      await startOurs(workers, [ours.self()]),
    ];
    await Promise.all(friends.map((f) => f.refresh()));
    for (const f of friends) await oursKnows(ours, f.self().publicKey, signal);

    const ejs = await startEjs({ refreshInterval: 300 });
    await ejs.dpt.bootstrap({ address: '127.0.0.1', udpPort: ours.self().udp ?? 0 });
    await ejsKnows(ejs.dpt, ours.self().publicKey, signal);
    // It bonded with us both ways, so it got in our table too.
    await oursKnows(ours, ejs.publicKey, signal);
    // Its FindNode got our Neighbors; it pinged the nodes in them and added them.
    for (const f of friends) await ejsKnows(ejs.dpt, f.self().publicKey, signal);
    expect(ejs.errors).toEqual([]);
    expect(ours.metrics.signatures.workers).toBe(workers);
  });
});
