/**
 * The entry point of a shard worker thread: builds its shard of the simulation (see
 * `shard-world.ts`), says `ready` with its node IDs, then runs one window per `step` message and
 * answers with the datagrams for the other shards (transferred batch buffers), its next event and
 * its counters. Asked to close, even in the middle of a window, it ends the window, stops its
 * nodes and exits.
 * @module
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { SimulatedClock } from '@ethp2p/base';
import { drive, driveBefore } from './driver.ts';
import type { FromShard, LookupDone, ShardInit, StepMessage, ToShard } from './shard-protocol.ts';
import { ShardWorld } from './shard-world.ts';

/** Virtual time the nodes get to stop at the end. */
const STOP_LIMIT_MS = 60_000;

if (parentPort === null) throw new Error('shard-worker: expected to run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as ShardInit;
const clock = new SimulatedClock(init.startMs);
const world = await ShardWorld.create(init.options, init.shard, clock);
let instants = 0;
let closing = false;
let lookupSignal = new AbortController();
const ended: LookupDone[] = [];
let running: Promise<void> = Promise.resolve();

const post = (message: FromShard, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

/** Fails the thread with `err`, uncaught: the coordinator sees the worker's error and exit. */
function crash(err: unknown): void {
  process.nextTick(() => {
    throw err;
  });
}

async function step(m: StepMessage): Promise<void> {
  world.inject(m.inbound, m.fromMs);
  if (m.abortLookups) {
    lookupSignal.abort(new Error('lookup took too long'));
    lookupSignal = new AbortController();
  }
  if (m.lookups.length > 0) {
    clock.advance(Math.max(0, m.fromMs - clock.now()));
    for (const request of m.lookups) {
      world.lookup(request, lookupSignal.signal).then((done) => ended.push(done), crash);
    }
  }
  instants += await driveBefore(clock, m.untilMs, () => closing);
  if (closing) return;
  const { batches, minArrivalMs } = world.takeOutbound();
  const transfer = batches.filter((b): b is ArrayBuffer => b !== null);
  post(
    {
      kind: 'stepped',
      outbound: batches,
      minArrivalMs,
      nextAtMs: clock.nextAt() ?? Number.POSITIVE_INFINITY,
      counters: world.counters(instants),
      lookups: ended.splice(0),
    },
    transfer,
  );
}

async function close(): Promise<void> {
  closing = true;
  await running;
  lookupSignal.abort(new Error('simulation closed'));
  let closed = false;
  const stopping = world.close().finally(() => {
    closed = true;
  });
  await drive(clock, clock.now() + STOP_LIMIT_MS, () => closed);
  await stopping;
  port.close(); // nothing else keeps the thread alive: it exits
}

port.on('message', (m: ToShard) => {
  if (closing) return;
  if (m.kind === 'step') running = step(m);
  else if (m.kind === 'sample') post(world.sample());
  else running = close();
  running.catch(crash);
});
const ids = new Uint8Array(world.nodes.length * 32);
for (const [i, node] of world.nodes.entries()) ids.set(node.id, i * 32);
post({ kind: 'ready', ids: ids.buffer }, [ids.buffer]);
