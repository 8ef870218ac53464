/**
 * Per-link latency, jitter and loss on the in-memory network (issue 18), drawn from a seeded
 * source so that a simulation repeats; the default network stays lossless and immediate.
 */
import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import type { DatagramAddress, DatagramSocket } from '../../src/transport/datagram.ts';
import { MemoryNetwork, type MemoryNetworkOptions } from '../../src/transport/memory-network.ts';

/** Sends `count` numbered datagrams from a to b and records each arrival's number and time. */
function run(options: MemoryNetworkOptions, count: number, to = '10.0.0.2') {
  const clock = options.clock instanceof SimulatedClock ? options.clock : new SimulatedClock();
  const net = new MemoryNetwork({ ...options, clock });
  const a = net.bind('10.0.0.1', 30303);
  const b = net.bind(to, 30303);
  const arrivals: { n: number; atMs: number }[] = [];
  b.onMessage((data) =>
    arrivals.push({ n: (data[0] ?? 0) | ((data[1] ?? 0) << 8), atMs: clock.now() }),
  );
  const start = clock.now();
  for (let i = 0; i < count; i++) a.send(new Uint8Array([i & 0xff, i >> 8]), b.local);
  return { net, clock, arrivals, start, a, b };
}

/** Runs every pending timer, in due order, with the clock jumping from one to the next. */
function drain(clock: SimulatedClock): void {
  for (let i = 0; i < 100_000 && clock.runNext(); i++);
}

describe('MemoryNetwork links', () => {
  it('adds a uniform jitter in [0, jitterMs) on top of the latency, repeatably for a seed', () => {
    const arrivalsOf = (seed: number) => {
      const r = run({ latencyMs: 20, jitterMs: 30, random: seededRandom(seed) }, 200);
      drain(r.clock);
      return r;
    };
    const first = arrivalsOf(7);
    expect(first.arrivals).toHaveLength(200);
    const delays = first.arrivals.map((x) => x.atMs - first.start);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(20);
      expect(d).toBeLessThan(50);
    }
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(20); // spread over the range
    const order = first.arrivals.map((x) => x.n);
    expect(order).not.toEqual([...order].sort((x, y) => x - y)); // jitter reorders
    expect(arrivalsOf(7).arrivals).toEqual(first.arrivals);
    expect(arrivalsOf(8).arrivals).not.toEqual(first.arrivals);
  });

  it('loses about lossRate of the datagrams, the same ones for the same seed', async () => {
    const lostOf = async (seed: number) => {
      const r = run({ lossRate: 0.3, random: seededRandom(seed) }, 5000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(r.net.stats.sent).toBe(5000);
      expect(r.net.stats.dropped + r.net.stats.delivered).toBe(5000);
      return r.arrivals.map((x) => x.n);
    };
    const got = await lostOf(3);
    const lost = 5000 - got.length;
    expect(lost).toBeGreaterThan(5000 * 0.27);
    expect(lost).toBeLessThan(5000 * 0.33);
    expect(got).toEqual([...got].sort((x, y) => x - y)); // no delay: send order kept
    expect(await lostOf(3)).toEqual(got);
    expect(await lostOf(4)).not.toEqual(got);
  });

  it('applies per-link profiles over the network defaults', async () => {
    const clock = new SimulatedClock(1000);
    const links: [string, string][] = [];
    const net = new MemoryNetwork({
      clock,
      latencyMs: 10,
      link: (from, to) => {
        links.push([`${from.address}:${from.port}`, `${to.address}:${to.port}`]);
        if (to.address === '10.0.0.3') return { latencyMs: 100 };
        if (to.address === '10.0.0.4') return { lossRate: 1 }; // a cut link
        if (to.address === '10.0.0.5') return { latencyMs: 0 }; // immediate
        return undefined;
      },
    });
    const a = net.bind('10.0.0.1', 30303);
    const arrivals = new Map<string, number>();
    const peers: DatagramSocket[] = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((ip) => {
      const s = net.bind(ip, 30303);
      s.onMessage(() => arrivals.set(ip, clock.now()));
      return s;
    });
    for (const p of peers) a.send(new Uint8Array([1]), p.local);
    a.send(new Uint8Array([1]), { address: '::ffff:10.0.0.3', port: 30303 });
    await new Promise((resolve) => setImmediate(resolve));
    expect([...arrivals]).toEqual([['10.0.0.5', 1000]]);
    drain(clock);
    expect(Object.fromEntries(arrivals)).toEqual({
      '10.0.0.2': 1010,
      '10.0.0.3': 1100,
      '10.0.0.5': 1000,
    });
    expect(links.at(-1)).toEqual(['10.0.0.1:30303', '10.0.0.3:30303']); // canonical destination
    expect(net.stats).toMatchObject({ sent: 5, delivered: 4, dropped: 1 });
  });

  it('keeps the default network lossless and immediate', async () => {
    const r = run({}, 100);
    expect(r.clock.pending).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.arrivals.map((x) => x.n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(r.arrivals.every((x) => x.atMs === r.start)).toBe(true);
  });

  it('refuses out-of-range settings, from the options or from the link function', () => {
    for (const bad of [
      { latencyMs: -1 },
      { jitterMs: -1 },
      { jitterMs: Number.POSITIVE_INFINITY },
      { lossRate: 1.5 },
      { lossRate: -0.1 },
      { lossRate: Number.NaN },
    ]) {
      expect(() => new MemoryNetwork(bad)).toThrow(RangeError);
    }
    const net = new MemoryNetwork({ link: () => ({ jitterMs: -5 }) });
    const a = net.bind('10.0.0.1');
    const to: DatagramAddress = { address: '10.0.0.2', port: 1 };
    expect(() => a.send(new Uint8Array(1), to)).toThrow('link: jitterMs');
  });

  it('hands datagrams for addresses it does not hold to the bridge, with their drawn delay', () => {
    const clock = new SimulatedClock(1000);
    const bridged: { data: number[]; from: string; to: string; delayMs: number }[] = [];
    const there = new MemoryNetwork({ clock });
    const b = there.bind('10.0.0.2', 30303);
    const got: { data: number[]; from: DatagramAddress; atMs: number }[] = [];
    b.onMessage((data, from) => got.push({ data: [...data], from, atMs: clock.now() }));
    const here = new MemoryNetwork({
      clock,
      latencyMs: 10,
      jitterMs: 5,
      random: seededRandom(3),
      bridge: (data, from, to, delayMs) => {
        bridged.push({ data: [...data], from: from.address, to: to.address, delayMs });
        clock.schedule(delayMs, () => there.deliver(data, from, to));
      },
    });
    const a = here.bind('10.0.0.1', 30303);
    const local = here.bind('10.0.0.3', 30303);
    let localGot = 0;
    local.onMessage(() => localGot++);
    a.send(new Uint8Array([1]), { address: '::ffff:10.0.0.2', port: 30303 });
    a.send(new Uint8Array([2]), local.local); // a local address never reaches the bridge
    expect(bridged).toHaveLength(1);
    expect(bridged[0]).toMatchObject({ data: [1], from: '10.0.0.1', to: '10.0.0.2' });
    const delayMs = bridged[0]?.delayMs ?? 0;
    expect(delayMs).toBeGreaterThanOrEqual(10);
    expect(delayMs).toBeLessThan(15);
    drain(clock);
    expect(got).toEqual([{ data: [1], from: a.local, atMs: 1000 + delayMs }]);
    expect(localGot).toBe(1);
    expect(here.stats).toMatchObject({ sent: 2, delivered: 1, dropped: 0 });
    expect(there.stats).toMatchObject({ sent: 0, delivered: 1, dropped: 0 });
    there.deliver(new Uint8Array([3]), a.local, { address: '10.0.0.9', port: 1 });
    expect(there.stats.dropped).toBe(1); // nothing bound there
  });
});
