// Drive a component's time with a SimulatedClock, track its background work in a TaskGroup, and
// decode strict RLP with typed errors.
import { MemoryLogger, SimulatedClock, sleep, TaskGroup } from '@ethp2p/base';
import { decodeRlp, encodeRlp, RlpError } from '@ethp2p/base/rlp';

const clock = new SimulatedClock(0);
const log = new MemoryLogger();
const tasks = new TaskGroup({ onError: (err) => log.warn('task failed', { err: String(err) }) });
const signal = new AbortController().signal;

let woke = 0;
void tasks.spawn(sleep(clock, 1000, signal).then(() => (woke = clock.now())));
void tasks.spawn(Promise.reject(new Error('boom')));
clock.advance(1000);
await tasks.wait();
console.log('slept until', woke, 'ms; tasks left:', tasks.size);
console.log('logged:', log.lines.map((l) => `${l.level} ${l.msg}`).join(', '));

const encoded = encodeRlp(['dog', 1024n, []]);
console.log('rlp:', Buffer.from(encoded).toString('hex'));
console.log(
  'round trip:',
  JSON.stringify(decodeRlp(encoded), (_k, v) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  ),
);
try {
  decodeRlp(Uint8Array.of(0x81, 0x05)); // a single byte below 0x80 must not be wrapped
} catch (err) {
  console.log(
    'rejected:',
    err instanceof RlpError && err.code,
    err instanceof Error && err.message,
  );
}
