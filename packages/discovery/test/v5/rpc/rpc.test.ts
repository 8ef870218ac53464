/** DiscV5Rpc pairs on a MemoryNetwork: calls both ways, NODES across packets, TALKREQ, failures. */
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError, waitFor } from '@ethp2p/base/testing';
import { bytesToHex, equalBytes } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../src/transport/memory-network.ts';
import { DiscV5RpcError } from '../../../src/v5/rpc/errors.ts';
import { handlers, nodesAtDistance, randomNode, startRpc, type TestRpc } from './helpers.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const open: TestRpc[] = [];

async function pair(net = new MemoryNetwork(), config = {}): Promise<[TestRpc, TestRpc]> {
  const a = await startRpc(net, '10.0.0.1', { config });
  const b = await startRpc(net, '10.0.0.2', { config });
  open.push(a, b);
  return [a, b];
}

/** Closes `r` and starts a node with its key at its address: all its sessions are gone. */
async function restart(net: MemoryNetwork, r: TestRpc): Promise<TestRpc> {
  const { address, port } = r.rpc.local;
  await r.rpc.close();
  const again = await startRpc(net, address, { port, privateKey: r.privateKey });
  open.push(again);
  return again;
}

afterEach(async () => {
  for (const r of open.splice(0)) await r.rpc.close();
});

describe('DiscV5Rpc ping', () => {
  it('pings both ways over one handshake, reporting the endpoint the peer saw', async () => {
    const [a, b] = await pair();
    const seen: Node[] = [];
    b.rpc.setHandlers(
      handlers({
        seen: (n) => seen.push(n),
      }),
    );
    const pong = await a.rpc.ping(b.node());
    expect(pong).toEqual({ enrSeq: b.localNode.seq, ip: '10.0.0.1', port: a.rpc.local.port });
    expect(seen.map((n) => bytesToHex(n.id))).toEqual([bytesToHex(a.localNode.id)]);
    const back = await b.rpc.ping(a.node());
    expect(back.ip).toBe('10.0.0.2');
    expect(a.rpc.metrics.handshakesInitiated).toBe(1);
    expect(b.rpc.metrics.handshakesAccepted).toBe(1);
    expect(b.rpc.metrics.handshakesInitiated).toBe(0);
    expect(a.rpc.metrics.sessions).toBe(1);
  });

  it('runs concurrent calls to a new node over a single handshake', async () => {
    const [a, b] = await pair();
    b.rpc.setHandlers(handlers({ talk: (_p, r) => r }));
    const results = await Promise.all([
      a.rpc.ping(b.node()),
      a.rpc.findNode(b.node(), [0]),
      a.rpc.talkRequest(b.node(), utf8('echo'), utf8('hi')),
    ]);
    expect((results[1] as Node[]).length).toBe(1);
    expect(results[2]).toEqual(utf8('hi'));
    expect(b.rpc.metrics.whoareyouSent).toBe(1);
    expect(b.rpc.metrics.handshakesAccepted).toBe(1);
  });

  it('re-does the handshake after the peer lost its sessions', async () => {
    const net = new MemoryNetwork();
    const [a, b] = await pair(net);
    await a.rpc.ping(b.node());
    const b2 = await restart(net, b);
    await expect(a.rpc.ping(b2.node())).resolves.toMatchObject({ ip: '10.0.0.1' });
    expect(b2.rpc.metrics.dropped['unknown-session']).toBe(1);
    expect(b2.rpc.metrics.handshakesAccepted).toBe(1);
    // The new session works the other way too.
    await expect(b2.rpc.ping(a.node())).resolves.toMatchObject({ ip: '10.0.0.2' });
  });

  it('re-does the handshake when the requester lost its sessions but the peer did not', async () => {
    const net = new MemoryNetwork();
    const [a, b] = await pair(net);
    await a.rpc.ping(b.node());
    const a2 = await restart(net, a);
    await expect(a2.rpc.ping(b.node())).resolves.toMatchObject({ ip: '10.0.0.1' });
    expect(b.rpc.metrics.handshakesAccepted).toBe(2);
    expect(b.rpc.metrics.dropped['unknown-session']).toBe(2);
  });

  it('times out against a silent node, and rejects with the abort reason', async () => {
    const clock = new SimulatedClock(0);
    const net = new MemoryNetwork();
    const a = await startRpc(net, '10.0.0.1', { clock });
    open.push(a);
    const silent = net.bind('10.0.0.9', 30303);
    silent.onMessage(() => {});
    const node = randomNode('10.0.0.9', 30303);
    const pending = a.rpc.ping(node);
    await waitFor(() => a.rpc.metrics.packetsOut === 1);
    clock.advance(700);
    const err = await rejectedError(pending, DiscV5RpcError, 'TIMEOUT');
    expect(err.message).toContain('ping');
    const controller = new AbortController();
    const aborted = a.rpc.ping(node, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(a.rpc.metrics.pendingCalls).toBe(0);
    await silent.close();
  });

  it('rejects calls to nodes without an endpoint, and every call once closed', async () => {
    const [a, b] = await pair();
    const keyOnly = Node.fromPublicKey(b.localNode.publicKey);
    await rejectedError(a.rpc.ping(keyOnly), DiscV5RpcError, 'NO_ENDPOINT');
    const other = randomNode('10.0.0.3', 30303);
    const pending = a.rpc.ping(other);
    await a.rpc.close();
    await rejectedError(pending, DiscV5RpcError, 'CLOSED');
    await rejectedError(a.rpc.ping(b.node()), DiscV5RpcError, 'CLOSED');
    await a.rpc.close();
  });
});

describe('DiscV5Rpc findNode', () => {
  it('answers distance 0 with our record, others from the handler, across packets', async () => {
    const [a, b] = await pair();
    const far = nodesAtDistance(b.localNode.id, 256, 12, '10.0.1.1');
    const near = nodesAtDistance(b.localNode.id, 255, 6, '10.0.1.1');
    b.rpc.setHandlers(
      handlers({
        findNodes: () => [...far, ...near],
      }),
    );
    const self = await a.rpc.findNode(b.node(), [0]);
    expect(self.map((n) => n.record?.encodeText())).toEqual([b.localNode.record().encodeText()]);
    const found = await a.rpc.findNode(b.node(), [256, 255]);
    // 16 records at most (geth findnodeResultLimit), in more than one NODES packet.
    expect(found.length).toBe(16);
    expect(a.rpc.metrics.dropped['wrong-distance']).toBe(0);
    const only256 = await a.rpc.findNode(b.node(), [256]);
    expect(only256.length).toBe(12);
    expect(a.rpc.metrics.dropped['wrong-distance']).toBe(4);
    expect(a.rpc.metrics.packetsIn).toBeGreaterThan(5);
  });

  it('drops records that are duplicates, unrelayable or invalid, and keeps the rest', async () => {
    const [a, b] = await pair();
    const good = nodesAtDistance(b.localNode.id, 256, 2, '10.0.1.1');
    const loop = nodesAtDistance(b.localNode.id, 256, 1, '127.0.0.1');
    b.rpc.setHandlers(
      handlers({
        findNodes: () => [...good, ...good, ...loop],
      }),
    );
    const found = await a.rpc.findNode(b.node(), [256]);
    expect(found.map((n) => bytesToHex(n.id)).sort()).toEqual(
      good.map((n) => bytesToHex(n.id)).sort(),
    );
    expect(a.rpc.metrics.dropped['bad-nodes-record']).toBe(3);
  });

  it('refuses out-of-range distances', async () => {
    const [a, b] = await pair();
    await expect(a.rpc.findNode(b.node(), [257])).rejects.toThrow(RangeError);
  });
});

describe('DiscV5Rpc talkRequest', () => {
  it('reaches the handler, which answers or fails with an empty response', async () => {
    const [a, b] = await pair();
    const calls: string[] = [];
    b.rpc.setHandlers(
      handlers({
        talk: async (protocol, request, from) => {
          calls.push(
            `${new TextDecoder().decode(protocol)}:${equalBytes(from.id, a.localNode.id)}`,
          );
          if (protocol[0] === 0x78) throw new Error('handler bug');
          return protocol.length === 0 ? new Uint8Array(0) : request.slice().reverse();
        },
      }),
    );
    expect(await a.rpc.talkRequest(b.node(), utf8('echo'), Uint8Array.of(1, 2, 3))).toEqual(
      Uint8Array.of(3, 2, 1),
    );
    expect(await a.rpc.talkRequest(b.node(), utf8('x'), Uint8Array.of(1))).toEqual(
      new Uint8Array(0),
    );
    expect(calls).toEqual(['echo:true', 'x:true']);
    expect(b.rpc.metrics.dropped['talk-handler-error']).toBe(1);
  });

  it('counts a response that arrives after its call timed out as unsolicited', async () => {
    const clock = new SimulatedClock(0);
    const net = new MemoryNetwork();
    const a = await startRpc(net, '10.0.0.1', { clock });
    const b = await startRpc(net, '10.0.0.2', { clock });
    open.push(a, b);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let asked = 0;
    b.rpc.setHandlers(
      handlers({
        talk: async (_p, request) => {
          asked += 1;
          await held;
          return request;
        },
      }),
    );
    const late = a.rpc.talkRequest(b.node(), utf8('slow'), utf8('x'));
    await waitFor(() => asked === 1, { what: 'the handler was asked' });
    clock.advance(700);
    await rejectedError(late, DiscV5RpcError, 'TIMEOUT');
    release();
    await waitFor(() => a.rpc.metrics.dropped['unsolicited-response'] === 1, {
      what: 'the late response was dropped',
    });
  });

  it('rejects a request too big for a packet without sending it', async () => {
    const [a, b] = await pair();
    await a.rpc.ping(b.node());
    const out = a.rpc.metrics.packetsOut;
    await expect(a.rpc.talkRequest(b.node(), utf8('p'), new Uint8Array(1300))).rejects.toThrow(
      RangeError,
    );
    expect(a.rpc.metrics.packetsOut).toBe(out);
  });
});
