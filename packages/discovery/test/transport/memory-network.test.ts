import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import type { DatagramAddress } from '../../src/transport/datagram.ts';
import { TransportError } from '../../src/transport/errors.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function inbox() {
  const got: { data: number[]; from: DatagramAddress }[] = [];
  const handler = (data: Uint8Array, from: DatagramAddress): void => {
    got.push({ data: [...data], from });
  };
  return { got, handler };
}

describe('MemoryNetwork', () => {
  it('delivers a copy asynchronously, in send order, with the source address', async () => {
    const net = new MemoryNetwork();
    const a = net.bind('10.0.0.1', 30303);
    const b = net.bind('10.0.0.2', 30303);
    const { got, handler } = inbox();
    b.onMessage(handler);
    const buf = new Uint8Array([1, 2, 3]);
    a.send(buf, b.local);
    buf[0] = 9;
    a.send(new Uint8Array([4]), { address: '::ffff:10.0.0.2', port: 30303 });
    expect(got).toHaveLength(0);
    await flush();
    expect(got).toEqual([
      { data: [1, 2, 3], from: { address: '10.0.0.1', port: 30303 } },
      { data: [4], from: { address: '10.0.0.1', port: 30303 } },
    ]);
    expect(net.stats).toMatchObject({ sent: 2, delivered: 2, dropped: 0 });
  });

  it('assigns distinct ports for port 0 and refuses a taken address', () => {
    const net = new MemoryNetwork();
    const ports = new Set([0, 1, 2].map(() => net.bind('10.0.0.1').local.port));
    expect(ports.size).toBe(3);
    for (const p of ports) expect(p).toBeGreaterThan(0);
    const fixed = net.bind('10.0.0.1', 30303);
    expect(() => net.bind('10.0.0.1', 30303)).toThrow(TransportError);
    expect(() => net.bind('10.0.0.1', 30303)).toThrow(
      expect.objectContaining({ code: 'BIND_FAILED' }),
    );
    expect(net.bind('10.0.0.2', 30303).local).toEqual({ address: '10.0.0.2', port: 30303 });
    expect(fixed.local.port).toBe(30303);
    expect(() => net.bind('not-an-ip')).toThrow(TypeError);
    expect(() => net.bind('10.0.0.1', 70000)).toThrow(RangeError);
  });

  it('drops datagrams to unbound addresses, after close, or chosen by the loss hook', async () => {
    const lossy = (_from: DatagramAddress, _to: DatagramAddress, data: Uint8Array) => data[0] === 0;
    const net = new MemoryNetwork({ loss: lossy });
    const a = net.bind('10.0.0.1');
    const b = net.bind('10.0.0.2');
    const { got, handler } = inbox();
    b.onMessage(handler);
    a.send(new Uint8Array([0]), b.local);
    a.send(new Uint8Array([1]), b.local);
    a.send(new Uint8Array([2]), { address: '10.0.0.3', port: 1234 });
    await flush();
    expect(got.map((g) => g.data)).toEqual([[1]]);
    expect(net.stats).toMatchObject({ sent: 3, delivered: 1, dropped: 2 });

    a.send(new Uint8Array([3]), b.local);
    await b.close();
    await b.close();
    await flush();
    expect(got).toHaveLength(1);
    expect(net.size).toBe(1);
    expect(net.bind(b.local.address, b.local.port).local).toEqual(b.local);
  });

  it('delays delivery by latencyMs on the injected clock', async () => {
    const clock = new SimulatedClock();
    const net = new MemoryNetwork({ clock, latencyMs: 50 });
    const a = net.bind('10.0.0.1');
    const b = net.bind('10.0.0.2');
    const { got, handler } = inbox();
    b.onMessage(handler);
    a.send(new Uint8Array([1]), b.local);
    await flush();
    clock.advance(49);
    expect(got).toHaveLength(0);
    clock.advance(1);
    expect(got).toHaveLength(1);
  });

  it('survives a throwing handler and counts it', async () => {
    const net = new MemoryNetwork();
    const a = net.bind('10.0.0.1');
    const b = net.bind('10.0.0.2');
    b.onMessage(() => {
      throw new Error('bad packet');
    });
    a.send(new Uint8Array([1]), b.local);
    await flush();
    expect(net.stats).toMatchObject({ delivered: 1, handlerErrors: 1 });
  });

  it('validates destinations like a real socket', () => {
    const a = new MemoryNetwork().bind('10.0.0.1');
    expect(() => a.send(new Uint8Array(1), { address: 'example.org', port: 1 })).toThrow(TypeError);
    expect(() => a.send(new Uint8Array(1), { address: '10.0.0.2', port: 0 })).toThrow(RangeError);
  });

  it('lets 1000 sockets each send a packet to a neighbour', async () => {
    const net = new MemoryNetwork();
    const n = 1000;
    const sockets = Array.from({ length: n }, (_, i) =>
      net.bind(`10.${(i >> 8) & 0xff}.${i & 0xff}.1`, 30303),
    );
    const received = new Array<number>(n).fill(-1);
    sockets.forEach((s, i) => {
      s.onMessage((data) => {
        received[i] = (data[0] ?? 0) | ((data[1] ?? 0) << 8);
      });
    });
    sockets.forEach((s, i) => {
      s.send(new Uint8Array([i & 0xff, i >> 8]), sockets[(i + 1) % n]?.local ?? s.local);
    });
    await flush();
    expect(received).toEqual(Array.from({ length: n }, (_, i) => (i + n - 1) % n));
    expect(net.stats).toMatchObject({ sent: n, delivered: n, dropped: 0 });
    await Promise.all(sockets.map((s) => s.close()));
    expect(net.size).toBe(0);
  });
});

describe('MemoryNetwork addresses', () => {
  it('treats IPv6 spellings and IPv4-mapped addresses as the same address', async () => {
    const net = new MemoryNetwork();
    const v6 = net.bind('2001:db8:0:0:0:0:0:1', 30303);
    const v4 = net.bind('::ffff:10.0.0.1', 30303);
    expect(v6.local.address).toBe('2001:db8::1');
    expect(v4.local.address).toBe('10.0.0.1');
    const { got, handler } = inbox();
    v6.onMessage(handler);
    v4.send(new Uint8Array([1]), { address: '2001:DB8::1', port: 30303 });
    await flush();
    expect(got).toEqual([{ data: [1], from: { address: '10.0.0.1', port: 30303 } }]);
  });
});
