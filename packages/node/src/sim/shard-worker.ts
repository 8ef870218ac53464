/**
 * The entry point of a shard worker thread: builds its shard of the simulation (see
 * `shard-world.ts`), says `ready` with its node IDs, then runs windows per `run` message (see
 * `shard-runner.ts`, exchanging datagrams with the other shards directly) and answers `ran` with
 * its counters and the lookups that ended. Asked to close, even in the middle of a window, it
 * ends the window, stops its nodes and exits.
 * @module
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { SimulatedClock } from '@ethp2p/base';
import { drive } from './driver.ts';
import type { FromShard, RunMessage, ShardInit, ToShard } from './shard-protocol.ts';
import { ShardRunner } from './shard-runner.ts';
import { ShardWorld } from './shard-world.ts';

/** Virtual time the nodes get to stop at the end. */
const STOP_LIMIT_MS = 60_000;

if (parentPort === null) throw new Error('shard-worker: expected to run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as ShardInit;
const clock = new SimulatedClock(init.startMs);
const world = await ShardWorld.create(init.options, init.shard, clock);
const runner = new ShardRunner(world, init.peers, init.options.latencyMs);
let closing = false;
let running: Promise<void> = Promise.resolve();

const post = (message: FromShard, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

/** Fails the thread with `err`, uncaught: the coordinator sees the worker's error and exit. */
function crash(err: unknown): void {
  process.nextTick(() => {
    throw err;
  });
}

async function run(m: RunMessage): Promise<void> {
  const ran = await runner.run(m, crash);
  if (ran !== undefined) post(ran);
}

async function close(): Promise<void> {
  closing = true;
  runner.close();
  await running;
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
  if (m.kind === 'run') running = run(m);
  else if (m.kind === 'sample') post(world.sample());
  else running = close();
  running.catch(crash);
});
const ids = new Uint8Array(world.nodes.length * 32);
for (const [i, node] of world.nodes.entries()) ids.set(node.id, i * 32);
post({ kind: 'ready', ids: ids.buffer }, [ids.buffer]);
