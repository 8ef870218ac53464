/**
 * The frame MAC step on its own: the time one direction's MAC takes per frame (a header MAC and
 * a frame MAC over the body ciphertext), on the generic path (`FrameMac` over a crypto backend's
 * keccak-256 state and a node:crypto AES block: the path every frame took before the
 * WebAssembly MAC, shown for each backend) and on the WebAssembly module, alone and with two
 * MACs taking turns (each call then copies the other context out and this one in, as the
 * ingress and egress MACs of busy connections do).
 * @module
 */
import { randomFillSync } from 'node:crypto';
import { BACKEND_NAMES, type CryptoBackend, loadBackend } from '@ethp2p/crypto/backends';
import { createMacKeccak, FrameMac } from '@ethp2p/rlpx/frame';
import { cpuMsSince } from './rlpx-target.ts';
import { formatTable } from './timing.ts';

/** Milliseconds of untimed calls, then of timed ones. */
const WARMUP_MS = 300;
const MEASURE_MS = 600;
const SIZES = [1 << 10, 16 << 10] as const;

/** CPU ns per call of `fn` (user + system of this process), after a warm-up. */
function cpuNsPerCall(fn: () => void): number {
  const run = (ms: number): number => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let calls = 0;
    while (performance.now() - started < ms) {
      for (let i = 0; i < 16; i++) fn();
      calls += 16;
    }
    return (cpuMsSince(cpu) * 1e6) / calls;
  };
  run(WARMUP_MS);
  return run(MEASURE_MS);
}

/** CPU ns per frame of `macs` taking turns. */
function nsPerFrame(macs: readonly FrameMac[], size: number): number {
  const header = randomFillSync(new Uint8Array(16));
  // The body ciphertext of a `size`-byte payload with its one-byte code, padded to 16 bytes.
  const body = randomFillSync(new Uint8Array((size + 1 + 15) & ~15));
  const step = (): void => {
    for (const mac of macs) {
      mac.header(header);
      mac.frame(body);
    }
  };
  return cpuNsPerCall(step) / macs.length;
}

/** Prints the MAC step table. */
export async function macStepTable(): Promise<void> {
  const backends: CryptoBackend[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      backends.push(await loadBackend(name));
    } catch {
      // not on this machine: no column
    }
  }
  const secret = randomFillSync(new Uint8Array(32));
  const seed = randomFillSync(new Uint8Array(32));
  const wasm = () => new FrameMac(createMacKeccak().update(seed), secret);
  const cells = SIZES.map((size) => {
    const one = nsPerFrame([wasm()], size);
    const two = nsPerFrame([wasm(), wasm()], size);
    const generic = backends.map((b) =>
      nsPerFrame([new FrameMac(b.createKeccak256().update(seed), secret)], size),
    );
    return [
      `${size >> 10} KiB`,
      ...generic.map((ns) => `${ns.toFixed(0)} (${(ns / one).toFixed(2)}x)`),
      one.toFixed(0),
      two.toFixed(0),
    ];
  });
  const header = [
    'MAC ns per frame',
    ...backends.map((b) => `generic ${b.name} (/wasm)`),
    'wasm',
    'wasm, 2 taking turns',
  ];
  const notes = [
    'one direction: header MAC + frame MAC over the padded body ciphertext, CPU time per frame',
    "generic: FrameMac over the backend's KeccakState (3 digests, 3 absorbs, 2 node:crypto AES " +
      'blocks per frame), in parentheses its time over the wasm one; wasm: one module call per ' +
      'MAC, its context copied in and out only when another MAC used the module in between',
  ];
  console.log(`${formatTable(header, cells)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
}
