/**
 * The simulation on worker threads (issue 18): a 2-worker run converges like the 1-worker run and
 * repeats exactly for a seed; datagrams between shards are delivered in (arrival, sender,
 * sequence) order; closing the shards in the middle of a window ends every worker; a worker that
 * throws or exits fails the run with `SHARD_FAILED`. The workers run the built code (`tsc -b`).
 */
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError } from '@ethp2p/base/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchWriter, type CrossDatagram, readBatches } from '../../src/sim/bridge-batch.ts';
import { SimError } from '../../src/sim/errors.ts';
import { checkSimOptions, parseWorkers } from '../../src/sim/options.ts';
import { runSimulation, SIM_START_MS, type SimResult } from '../../src/sim/run.ts';
import { nodeRandom, shardIndices, simIndexOf } from '../../src/sim/shard-seeds.ts';
import { ShardWorld } from '../../src/sim/shard-world.ts';
import { ShardSet } from '../../src/sim/shards.ts';
import { simIp } from '../../src/sim/world.ts';
import { run as runCli } from '../cli/helpers/run.ts';
import { SMALL_SIM } from './helpers.ts';

const SMALL = { ...SMALL_SIM, nodes: 60 };

/** What a run simulated, without its costs (wall and CPU time, memory). */
function simulated(r: SimResult) {
  return {
    samples: r.samples,
    recall: r.recall,
    network: r.network,
    instants: r.instants,
    windows: r.windows,
  };
}

describe('a 60-node simulation on 2 workers', () => {
  let one: SimResult;
  let two: SimResult;
  let again: SimResult;

  beforeAll(async () => {
    one = await runSimulation(SMALL);
    two = await runSimulation({ ...SMALL, workers: 2 });
    again = await runSimulation({ ...SMALL, workers: 2 });
  }, 180_000);

  it('converges like the run on one thread: every node joins, recall within 0.1 of it', () => {
    expect(two.workers).toBe(2);
    expect(two.windows).toBeGreaterThan(0);
    expect(one.windows).toBe(0);
    const last = two.samples.at(-1);
    expect(last?.atMs).toBe(SMALL.durationMs);
    expect(last?.joined).toBe(60);
    expect(last?.minFill).toBeGreaterThanOrEqual(16);
    expect(two.recall.map((r) => r.atMs)).toEqual(SMALL.recallAtMs);
    const recall = two.recall.at(-1)?.recall ?? 0;
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(recall - (one.recall.at(-1)?.recall ?? 0))).toBeLessThanOrEqual(0.1);
    expect(two.network.handlerErrors).toBe(0);
    expect(two.network.dropped).toBe(0); // no loss: every datagram crossed to a bound node
    expect(two.network.delivered).toBeGreaterThan(0.9 * two.network.sent);
    // Within 25% of the traffic of the same network on one thread.
    expect(two.network.sent / one.network.sent).toBeGreaterThan(0.75);
    expect(two.network.sent / one.network.sent).toBeLessThan(1.25);
  });

  it('simulates exactly the same network when run again with the same seed', () => {
    expect(simulated(again)).toEqual(simulated(two));
  });
});

describe('datagrams between shards', () => {
  const datagram = (arrivalMs: number, sender: number, seq: number, byte: number) => ({
    arrivalMs,
    sender,
    seq,
    receiver: 1,
    fromPort: 30303,
    toPort: 40000,
    data: new Uint8Array([byte, 0xaa]),
  });

  it('are read back from their batches in (arrival, sender, sequence) order', () => {
    const a = new BatchWriter();
    const b = new BatchWriter();
    a.push(datagram(20, 4, 9, 1));
    a.push(datagram(10, 4, 10, 2));
    a.push(datagram(10, 2, 11, 3));
    b.push(datagram(10, 3, 1, 4));
    b.push(datagram(10, 2, 0, 5));
    b.push(datagram(10.5, 0, 2, 6));
    expect(a.count).toBe(3);
    expect(a.minArrivalMs).toBe(10);
    const batches = [a.take(), b.take()].filter((x): x is ArrayBuffer => x !== undefined);
    expect(a.take()).toBeUndefined();
    expect(a.minArrivalMs).toBe(Number.POSITIVE_INFINITY);
    const read = readBatches(batches);
    expect(read.map((d: CrossDatagram) => d.data[0])).toEqual([5, 3, 4, 2, 6, 1]);
    expect(read[0]).toEqual(datagram(10, 2, 0, 5));
    expect(() => readBatches([batches[0]?.slice(0, 30) as ArrayBuffer])).toThrow(RangeError);
  });

  it('reach the receiving node in that order at their arrival time', async () => {
    const options = checkSimOptions({ ...SMALL, nodes: 4, workers: 2 });
    const clock = new SimulatedClock(SIM_START_MS);
    const world = await ShardWorld.create(options, 1, clock);
    const socket = world.network.bind(simIp(1), 40000);
    const got: { byte: number; from: string; atMs: number }[] = [];
    socket.onMessage((data, from) =>
      got.push({
        byte: data[0] as number,
        from: `${from.address}:${from.port}`,
        atMs: clock.now(),
      }),
    );
    const w = new BatchWriter();
    for (const d of [
      datagram(SIM_START_MS + 20, 2, 7, 1),
      datagram(SIM_START_MS + 10, 2, 8, 2),
      datagram(SIM_START_MS + 10, 0, 9, 3),
      datagram(SIM_START_MS + 10, 0, 3, 4),
    ]) {
      w.push(d);
    }
    world.inject([w.take() as ArrayBuffer], SIM_START_MS);
    while (clock.runNext(SIM_START_MS + 30));
    expect(got).toEqual([
      { byte: 4, from: '10.0.0.1:30303', atMs: SIM_START_MS + 10 },
      { byte: 3, from: '10.0.0.1:30303', atMs: SIM_START_MS + 10 },
      { byte: 2, from: '10.0.0.3:30303', atMs: SIM_START_MS + 10 },
      { byte: 1, from: '10.0.0.3:30303', atMs: SIM_START_MS + 20 },
    ]);
    w.push(datagram(SIM_START_MS + 25, 2, 10, 5)); // before the window: a causality error
    expect(() => world.inject([w.take() as ArrayBuffer], SIM_START_MS + 30)).toThrow(RangeError);
    const closing = world.close();
    while (clock.runNext());
    await closing;
  });

  it('leave through the bridge into the batch of the shard that owns the receiver', async () => {
    const options = checkSimOptions({ ...SMALL, nodes: 6, workers: 3, latencyMs: 7 });
    const clock = new SimulatedClock(SIM_START_MS);
    const world = await ShardWorld.create(options, 0, clock);
    expect(world.nodes.map((n) => n.index)).toEqual(shardIndices(0, 3, 6));
    const socket = world.network.bind(simIp(3), 40000);
    clock.advance(5);
    socket.send(new Uint8Array([1]), { address: simIp(4), port: 30303 }); // shard 1
    socket.send(new Uint8Array([2]), { address: simIp(2), port: 30303 }); // shard 2
    socket.send(new Uint8Array([3]), { address: simIp(4), port: 30303 });
    socket.send(new Uint8Array([4]), { address: '192.0.2.1', port: 30303 }); // nobody
    const { batches, minArrivalMs } = world.takeOutbound();
    expect(batches[0]).toBeNull();
    expect(minArrivalMs).toEqual([Number.POSITIVE_INFINITY, SIM_START_MS + 12, SIM_START_MS + 12]);
    const toOne = readBatches([batches[1] as ArrayBuffer]);
    expect(toOne.map((d) => [d.data[0], d.sender, d.receiver, d.fromPort, d.seq])).toEqual([
      [1, 3, 4, 40000, 0],
      [3, 3, 4, 40000, 2],
    ]);
    expect(world.counters(0)).toMatchObject({ sent: 4, dropped: 1 });
    const closing = world.close();
    while (clock.runNext());
    await closing;
  });
});

describe('shard workers', () => {
  const options = checkSimOptions({ ...SMALL, nodes: 40, workers: 2 });

  it('all exit when closed in the middle of a window; the window fails with CLOSED', async () => {
    const shards = await ShardSet.start(options, SIM_START_MS);
    expect(shards.ids.filter((id) => id?.length === 32)).toHaveLength(40);
    const ran = await shards.run(SIM_START_MS + 1_000);
    expect(ran.map((r) => r.windows)).toEqual([ran[0]?.windows, ran[0]?.windows]);
    expect(ran[0]?.windows).toBeGreaterThan(0);
    // 39 virtual seconds of windows: still running when the close arrives.
    const window = rejectedError(shards.run(SIM_START_MS + 40_000), SimError, 'CLOSED');
    const codes = await shards.close();
    expect(codes).toEqual([0, 0]);
    await window;
    await rejectedError(shards.sample(), SimError, 'CLOSED');
    expect(await shards.close()).toEqual([0, 0]);
  }, 60_000);

  it('a run stopped by its signal ends every worker and reports what it measured', async () => {
    const controller = new AbortController();
    const result = await runSimulation(options, {
      signal: controller.signal,
      progressEveryMs: 0,
      onProgress: (p) => {
        if (p.virtualMs >= 3_000) controller.abort();
      },
    });
    expect(result.samples).toHaveLength(1);
    expect(result.samples[0]?.atMs).toBeLessThan(5_000);
    expect(result.recall).toEqual([]);
  }, 60_000);

  it.each([
    ['throws', 'shard-throws.mjs', 'shard 1 failed: shard fixture throws'],
    ['exits', 'shard-exits.mjs', 'shard 0 exited with code 7'],
  ])(
    'a worker that %s fails the run with SHARD_FAILED',
    async (_, fixture, message) => {
      const workerUrl = new URL(`./fixtures/${fixture}`, import.meta.url);
      const run = runSimulation(options, { workerUrl });
      expect((await rejectedError(run, SimError, 'SHARD_FAILED')).message).toBe(message);
    },
    60_000,
  );

  it('a missing worker script is refused with WORKER_MISSING', async () => {
    const workerUrl = new URL('./fixtures/nothing-here.mjs', import.meta.url);
    await rejectedError(runSimulation(options, { workerUrl }), SimError, 'WORKER_MISSING');
  });
});

describe('the options of a sharded run', () => {
  it('refuses a zero latency with workers (the lockstep window), on the command line too', async () => {
    expect(() => checkSimOptions({ ...SMALL, workers: 2, latencyMs: 0 })).toThrow(
      /latencyMs: expected at least 1 ms with workers/,
    );
    expect(checkSimOptions({ ...SMALL, workers: 1, latencyMs: 0 }).latencyMs).toBe(0);
    const run = await runCli(['sim', '--workers', '2', '--latency', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at least 1 ms with workers/);
    expect((await runCli(['sim', '--workers', 'many'])).code).toBe(2);
  });

  it('parses worker counts and auto', () => {
    expect(parseWorkers('3')).toBe(3);
    expect(parseWorkers('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '65', '1.5', '-1', ''])
      expect(() => parseWorkers(bad)).toThrow(RangeError);
  });

  it('derives every node alike on any shard: its own random source, its IP', () => {
    expect(nodeRandom(1, 5).bytes(8)).toEqual(nodeRandom(1, 5).bytes(8));
    expect(nodeRandom(1, 5).bytes(8)).not.toEqual(nodeRandom(1, 6).bytes(8));
    expect(nodeRandom(1, 5).bytes(8)).not.toEqual(nodeRandom(2, 5).bytes(8));
    for (const i of [0, 1, 254, 255, 65_535, 99_999]) expect(simIndexOf(simIp(i))).toBe(i);
    expect(simIndexOf('192.0.2.1')).toBe(-1);
  });
});
