/**
 * discv5 interop with `@chainsafe/discv5` 11 (an independent implementation) on loopback: both
 * sides bound to 127.0.0.1 with OS-picked ports, real clocks, every wait bounded.
 */
import { ENR } from '@chainsafe/enr';
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { listenDiscovery } from '../../../src/listen-discovery.ts';
import { DiscoveryV4 } from '../../../src/service/discovery.ts';
import { DiscV5RpcError } from '../../../src/v5/rpc/errors.ts';
import { DiscoveryV5 } from '../../../src/v5/service.ts';
import type { ChainsafeNode } from './chainsafe.ts';
import { startChainsafe } from './chainsafe.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/**
 * Ours, on loopback; FINDNODE answers include nodes not yet revalidated (small test networks).
 * Responses may take 3 s, not geth's 700 ms: chainsafe's first handshake (its crypto in
 * JavaScript, not yet compiled) took longer than that on a loaded CI machine, and these tests
 * check what the two implementations say to each other, not how fast.
 */
async function ours(bootnodes: readonly Node[] = []): Promise<DiscoveryV5> {
  const node = await DiscoveryV5.listen({
    privateKey: generatePrivateKey(),
    bootnodes,
    logger: silentLogger,
    config: { findnodeLivenessCheck: false },
    rpcConfig: { responseTimeoutMs: 3_000 },
  });
  cleanup.push(() => node.stop());
  return node;
}

async function theirs(): Promise<ChainsafeNode> {
  const node = await startChainsafe();
  cleanup.push(() => node.close());
  return node;
}

/** Our node as chainsafe's ENR. */
const asTheirs = (node: DiscoveryV5): ENR => ENR.decodeTxt(node.self().record?.encodeText() ?? '');

/** Their node as ours. */
const asOurs = (cs: ChainsafeNode): Node => Node.fromEnr(Enr.decodeText(cs.discv5.enr.encodeTxt()));

const idOf = (cs: ChainsafeNode): string => cs.discv5.enr.nodeId;

type NodeAddress = Parameters<ChainsafeNode['discv5']['sendTalkResp']>[0];
type RequestId = Parameters<ChainsafeNode['discv5']['sendTalkResp']>[1];

/** chainsafe's `talkReqReceived` event (its emitter types do not resolve from here). */
function onTalkRequest(cs: ChainsafeNode, listener: (from: NodeAddress, id: RequestId) => void) {
  const emitter = cs.discv5 as unknown as {
    on(
      event: 'talkReqReceived',
      fn: (from: NodeAddress, enr: unknown, request: { id: RequestId }) => void,
    ): void;
  };
  emitter.on('talkReqReceived', (from, _enr, request) => listener(from, request.id));
}

const bounded = () => ({ signal: AbortSignal.timeout(10_000) });

/**
 * A request, asked again (at most three times in all) when it timed out: these are real UDP
 * sockets, and on a loaded machine a datagram can be dropped by a full receive buffer. Only a
 * timeout is retried; a wrong answer still fails at once.
 */
async function retried<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (!(err instanceof DiscV5RpcError && err.code === 'TIMEOUT') || attempt === 3) throw err;
    }
  }
}

describe('discv5 interop with @chainsafe/discv5', () => {
  it('chainsafe pings us (handshake they start), finds us by FINDNODE and gets our TALKREQ answers', async () => {
    const us = await ours();
    await us.refresh();
    us.registerTalkProtocol('echo', (request) => Uint8Array.from([...request].reverse()));
    const cs = await theirs();
    const pong = await cs.discv5.sendPing(asTheirs(us));
    expect(pong.enrSeq).toBe(us.self().seq);
    expect(pong.addr.port).toBe(cs.port);

    const found = await cs.discv5.sendFindNode(asTheirs(us), [0]);
    expect(found.map((e) => e.nodeId)).toEqual([bytesToHex(us.self().id)]);

    const reply = await cs.discv5.sendTalkReq(asTheirs(us), Uint8Array.of(1, 2, 3), 'echo');
    expect([...reply]).toEqual([3, 2, 1]);
    const unknown = await cs.discv5.sendTalkReq(asTheirs(us), Uint8Array.of(1), 'nope');
    expect(unknown).toHaveLength(0);
    expect(us.metrics).toMatchObject({ talkRequests: 2, talkUnknownProtocol: 1 });
    // The service passes on its rpc's counters: they handshook with us, we answered 4 requests.
    const rpc = us.metrics.rpc;
    expect(rpc.handshakesAccepted).toBe(1);
    expect(rpc.sessions).toBeGreaterThanOrEqual(1);
    expect(rpc.packetsIn).toBeGreaterThanOrEqual(5);
    expect(rpc.packetsOut).toBeGreaterThanOrEqual(5);
    expect(rpc.dropped['bad-packet']).toBe(0);
    // The handshake made them a table node of ours.
    await waitFor(() => us.nodes().some((n) => bytesToHex(n.id) === idOf(cs)), {
      what: 'chainsafe entered our table',
      ...bounded(),
    });
  });

  it('we ping chainsafe (handshake we start), request its record and its TALKREQ answer', async () => {
    const cs = await theirs();
    onTalkRequest(
      cs,
      (nodeAddr, id) => void cs.discv5.sendTalkResp(nodeAddr, id, Uint8Array.of(42)),
    );
    const us = await ours();
    const them = asOurs(cs);
    const pong = await retried(() => us.ping(them, bounded()));
    expect(pong.enrSeq).toBe(cs.discv5.enr.seq);
    expect(pong.ip).toBe('127.0.0.1');
    expect(pong.port).toBe(us.self().udp);
    const record = await retried(() => us.requestEnr(them, bounded()));
    expect(bytesToHex(record.id)).toBe(idOf(cs));
    const answer = await retried(() => us.talkRequest(them, 'x', Uint8Array.of(1), bounded()));
    expect([...answer]).toEqual([42]);
  });

  it('we look chainsafe up and learn the nodes it knows', async () => {
    const cs = await theirs();
    const known = [await theirs(), await theirs(), await theirs()];
    for (const k of known) cs.discv5.addEnr(k.discv5.enr.toENR());
    const us = await ours([asOurs(cs)]);
    await us.refresh();
    const resolved = await us.resolve(asOurs(cs), bounded());
    expect(resolved && bytesToHex(resolved.id)).toBe(idOf(cs));
    const seen = new Set<string>();
    // A lookup for each known node asks chainsafe for that node's log distance, so it is found
    // whatever distance it sits at (a random target would ask for other distances).
    for (const k of known) {
      for await (const n of us.lookup(asOurs(k).publicKey, bounded())) seen.add(bytesToHex(n.id));
    }
    for (const n of us.nodes()) seen.add(bytesToHex(n.id));
    for (const k of known) expect(seen.has(idOf(k))).toBe(true);
  });

  it('a mixed loopback network of 5 of ours and 5 of theirs converges: lookups from either side find both kinds', async () => {
    const boot = await ours();
    await boot.refresh();
    const ourNodes = [boot];
    for (let i = 0; i < 4; i++) ourNodes.push(await ours([boot.self()]));
    const theirNodes: ChainsafeNode[] = [];
    for (let i = 0; i < 5; i++) {
      const cs = await theirs();
      cs.discv5.addEnr(asTheirs(boot));
      theirNodes.push(cs);
    }
    const ourIds = new Set(ourNodes.map((n) => bytesToHex(n.self().id)));
    const theirIds = new Set(theirNodes.map(idOf));
    const kinds = (ids: Iterable<string>) => {
      let o = 0;
      let t = 0;
      for (const id of ids) {
        if (ourIds.has(id)) o++;
        if (theirIds.has(id)) t++;
      }
      return { ours: o, theirs: t };
    };
    // Rounds of what the periodic refresh and chainsafe's own lookups do, until a lookup from
    // either side finds at least 3 of each kind (at most 6 rounds: a loaded machine loses some
    // answers to timeouts, so two rounds are not always enough).
    const from = ourNodes[4] as DiscoveryV5;
    const cs = theirNodes[4] as ChainsafeNode;
    let ourView = new Set<string>();
    let theirView = new Set<string>();
    const converged = (): boolean =>
      kinds(ourView).ours >= 3 &&
      kinds(ourView).theirs >= 3 &&
      kinds(theirView).ours >= 3 &&
      kinds(theirView).theirs >= 3;
    for (let round = 0; round < 6 && !converged(); round++) {
      await Promise.all(theirNodes.map((n) => n.discv5.findRandomNode()));
      await Promise.all(ourNodes.map((n) => n.refresh()));
      ourView = new Set<string>();
      for await (const n of from.lookup(undefined, bounded())) ourView.add(bytesToHex(n.id));
      theirView = new Set((await cs.discv5.findRandomNode()).map((e) => e.nodeId));
    }
    expect(kinds(ourView).ours).toBeGreaterThanOrEqual(3);
    expect(kinds(ourView).theirs).toBeGreaterThanOrEqual(3);
    expect(kinds(theirView).ours).toBeGreaterThanOrEqual(3);
    expect(kinds(theirView).theirs).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('discv4 and discv5 answer on the same port at the same time, with one record', async () => {
    const both = await listenDiscovery({ privateKey: generatePrivateKey(), logger: silentLogger });
    cleanup.push(() => both.stop());
    const { v4, v5 } = both;
    if (v4 === undefined || v5 === undefined) throw new Error('expected both versions');
    expect(v4.self().udp).toBe(both.local.port);
    expect(v5.self().record?.encodeText()).toBe(v4.self().record?.encodeText());
    const v4Peer = await DiscoveryV4.listen({
      privateKey: generatePrivateKey(),
      logger: silentLogger,
    });
    cleanup.push(() => v4Peer.stop());
    const cs = await theirs();
    const [v4Pong, v5Pong, found] = await Promise.all([
      v4Peer.ping(v4.self(), bounded()),
      cs.discv5.sendPing(asTheirs(v5)),
      cs.discv5.sendFindNode(asTheirs(v5), [0]),
    ]);
    expect(v4Pong.seq).toBe(v4.self().seq);
    expect(v5Pong.enrSeq).toBe(v5.self().seq);
    expect(found.map((e) => e.nodeId)).toEqual([bytesToHex(v5.self().id)]);
    // Every discv5 packet reached discv4 first and was handed on, none dropped as bad.
    expect(v4.metrics.unhandled).toBeGreaterThanOrEqual(3);
    expect(v4.metrics.dropped['bad-packet']).toBe(0);
    // And our discv5 side reaches chainsafe from the shared port.
    const pong = await v5.ping(asOurs(cs), bounded());
    expect(pong.port).toBe(both.local.port);
  });
});
