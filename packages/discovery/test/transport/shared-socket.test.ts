/**
 * The shared socket: discv4 owns the bound socket and answers its own packets, while datagrams
 * it cannot recognise (too small, hash mismatch) reach the discv5 view of the same port.
 */
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import type { DatagramAddress, DatagramSocket } from '../../src/transport/datagram.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import { SharedDatagramSocket } from '../../src/transport/shared-socket.ts';
import { bindUdpSocket } from '../../src/transport/udp-socket.ts';
import type { TestService } from '../service/helpers.ts';
import { settle, startService } from '../service/helpers.ts';
import { datagramSocketCompliance } from './datagram-compliance.ts';

interface Received {
  readonly data: number[];
  readonly from: DatagramAddress;
}

function inbox(socket: DatagramSocket): Received[] {
  const got: Received[] = [];
  socket.onMessage((data, from) => got.push({ data: [...data], from }));
  return got;
}

/** 200 bytes that are no discv4 packet: the leading 32 bytes are not the hash of the rest. */
function notDiscv4(fill: number): Uint8Array {
  return new Uint8Array(200).fill(fill);
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

datagramSocketCompliance(
  'SharedDatagramSocket fed every datagram of a MemoryNetwork socket',
  () => {
    const net = new MemoryNetwork();
    return {
      bind: async () => {
        const shared = net.bind('10.0.0.1');
        const view = new SharedDatagramSocket(shared);
        shared.onMessage(view.deliver);
        cleanup.push(() => shared.close());
        return view;
      },
    };
  },
);

/** A shared socket, its view and another socket on one memory network, closed after the test. */
function viewWithPeer() {
  const net = new MemoryNetwork();
  const shared = net.bind('10.0.0.1');
  const other = net.bind('10.0.0.2');
  cleanup.push(
    () => shared.close(),
    () => other.close(),
  );
  return { shared, other, view: new SharedDatagramSocket(shared) };
}

describe('SharedDatagramSocket', () => {
  it('sends through the shared socket and receives only what its owner delivers', async () => {
    const { shared, other, view } = viewWithPeer();
    const atShared = inbox(shared);
    const atView = inbox(view);
    const atOther = inbox(other);
    expect(view.local).toEqual(shared.local);

    view.send(new Uint8Array([1]), other.local);
    await waitFor(() => atOther.length === 1, { what: 'the view sent through the shared port' });
    expect(atOther[0]?.from).toEqual(shared.local);

    other.send(new Uint8Array([2]), shared.local);
    await waitFor(() => atShared.length === 1, { what: 'the owner received' });
    expect(atView).toEqual([]);
    view.deliver(new Uint8Array([3]), other.local);
    expect(atView).toEqual([{ data: [3], from: other.local }]);
    expect(view.stats).toEqual({ delivered: 1, dropped: 0, handlerErrors: 0 });
  });

  it('closing the view leaves the shared socket open and drops later deliveries', async () => {
    const { shared, other, view } = viewWithPeer();
    const atView = inbox(view);
    const atOther = inbox(other);
    await view.close();
    await view.close();
    view.deliver(new Uint8Array([1]), other.local);
    view.send(new Uint8Array([2]), other.local);
    shared.send(new Uint8Array([3]), other.local);
    await waitFor(() => atOther.length === 1, { what: 'the shared socket still sends' });
    await settle();
    expect(atOther.map((r) => r.data)).toEqual([[3]]);
    expect(atView).toEqual([]);
    expect(view.stats.dropped).toBe(1);
    expect(() => view.send(new Uint8Array([4]), { address: 'nope', port: 1 })).toThrow(TypeError);
  });

  it('counts a throwing handler and keeps delivering', () => {
    const view = new SharedDatagramSocket(new MemoryNetwork().bind('10.0.0.1'));
    let calls = 0;
    view.onMessage(() => {
      calls++;
      throw new Error('boom');
    });
    const from = { address: '10.0.0.2', port: 1 };
    view.deliver(new Uint8Array([1]), from);
    view.deliver(new Uint8Array([2]), from);
    expect(calls).toBe(2);
    expect(view.stats).toEqual({ delivered: 2, dropped: 0, handlerErrors: 2 });
  });
});

describe('discv4 with an unhandled handler on a MemoryNetwork', () => {
  async function twoNodes(): Promise<{
    net: MemoryNetwork;
    a: TestService;
    b: TestService;
    view: SharedDatagramSocket;
  }> {
    const net = new MemoryNetwork();
    const socket = net.bind('10.0.0.1');
    const view = new SharedDatagramSocket(socket);
    const a = await startService(net, '10.0.0.1', { socket, unhandled: view.deliver });
    cleanup.push(() => a.close());
    const b = await startService(net, '10.0.0.2');
    cleanup.push(() => b.close());
    return { net, a, b, view };
  }

  it('answers discv4 while other datagrams on its port reach the view', async () => {
    const { net, a, b, view } = await twoNodes();
    const atView = inbox(view);
    const raw = net.bind('10.0.0.3');
    cleanup.push(() => raw.close());
    const atRaw = inbox(raw);

    raw.send(notDiscv4(7), a.address);
    raw.send(new Uint8Array([1, 2, 3]), a.address);
    const pong = await b.service.ping(a.service.self(), { signal: AbortSignal.timeout(5000) });
    expect(pong.seq).toBe(a.service.self().seq);
    await waitFor(() => atView.length === 2, { what: 'both datagrams reached the view' });
    expect(atView[0]).toEqual({ data: [...notDiscv4(7)], from: raw.local });
    expect(atView[1]).toEqual({ data: [1, 2, 3], from: raw.local });
    const m = a.service.metrics;
    expect(m.unhandled).toBe(2);
    expect(m.dropped['bad-packet']).toBe(0);
    expect(m.packetsIn.ping).toBe(1);

    view.send(new Uint8Array([9]), raw.local);
    await waitFor(() => atRaw.length === 1, { what: 'the view answered from the same port' });
    expect(atRaw[0]?.from).toEqual(a.address);
  });

  it('without the handler such datagrams are dropped as bad packets', async () => {
    const net = new MemoryNetwork();
    const a = await startService(net, '10.0.0.1');
    cleanup.push(() => a.close());
    const raw = net.bind('10.0.0.3');
    cleanup.push(() => raw.close());
    raw.send(notDiscv4(7), a.address);
    await waitFor(() => a.service.metrics.dropped['bad-packet'] === 1, {
      what: 'the datagram was dropped',
    });
    expect(a.service.metrics.unhandled).toBe(0);
  });
});

describe('discv4 and a shared view on one real UDP socket', () => {
  it('answers a discv4 ping and passes raw datagrams to the view on the same port', async () => {
    const socket = await bindUdpSocket({ address: '127.0.0.1', logger: silentLogger });
    const view = new SharedDatagramSocket(socket);
    // The socket is given, so the memory network is not used.
    const own = await startService(new MemoryNetwork(), '127.0.0.1', {
      socket,
      unhandled: view.deliver,
    });
    cleanup.push(() => own.close());
    const service = own.service;
    const atView = inbox(view);
    const peer = await DiscoveryV4.listen({
      privateKey: generatePrivateKey(),
      logger: silentLogger,
    });
    cleanup.push(() => peer.stop());
    const raw = await bindUdpSocket({ address: '127.0.0.1', logger: silentLogger });
    cleanup.push(() => raw.close());
    const atRaw = inbox(raw);

    raw.send(notDiscv4(5), socket.local);
    const pong = await peer.ping(service.self(), { signal: AbortSignal.timeout(5000) });
    expect(pong.seq).toBe(service.self().seq);
    await waitFor(() => atView.length === 1, { what: 'the raw datagram reached the view' });
    expect(atView[0]).toEqual({ data: [...notDiscv4(5)], from: raw.local });
    view.send(new Uint8Array([6]), raw.local);
    await waitFor(() => atRaw.length === 1, { what: 'the view replied' });
    expect(atRaw[0]?.from).toEqual(socket.local);
    expect(service.metrics.unhandled).toBe(1);
  });
});
