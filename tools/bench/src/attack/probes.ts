/**
 * What a legitimate user of the target sees during an attack: how long a fresh peer takes to
 * complete RLPx, Hello and the eth Status, whether a discv4 ping gets its pong, and what the
 * process's RSS and event-loop delay do meanwhile.
 * @module
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MemoryTxPool } from '@ethp2p/chain';
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryV4 } from '@ethp2p/discovery';
import type { Node } from '@ethp2p/enode';
import { type ChainReader, createEthProtocols, PeerSet } from '@ethp2p/eth';
import { Server } from '@ethp2p/server';

/** A legitimate eth peer's handshake with the target: ms from dial to its eth Status accepted. */
export async function timeEthHandshake(
  target: Node,
  chain: ChainReader,
  limitMs: number,
): Promise<number> {
  const peerSet = new PeerSet();
  const server = new Server({
    privateKey: generatePrivateKey(),
    name: 'legit',
    listenAddress: null,
    protocols: createEthProtocols({ backend: { chain, txPool: new MemoryTxPool() }, peerSet }),
  });
  await server.start();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const registered = new Promise<void>((resolve) =>
      peerSet.events.once('peer:registered', () => resolve()),
    );
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no eth handshake within ${limitMs} ms`)), limitMs);
    });
    server.addPeer(target);
    await Promise.race([registered, late]);
    return performance.now() - started;
  } finally {
    clearTimeout(timer);
    await server.stop();
  }
}

/** A discv4 node that pings the target. */
export class Pinger {
  readonly #disc: DiscoveryV4;

  private constructor(disc: DiscoveryV4) {
    this.#disc = disc;
  }

  static async start(): Promise<Pinger> {
    return new Pinger(await DiscoveryV4.listen({ privateKey: generatePrivateKey() }));
  }

  /** The round trip of one ping to `target` in ms; rejects when no pong comes in time. */
  async ping(target: Node): Promise<number> {
    const started = performance.now();
    await this.#disc.ping(target);
    return performance.now() - started;
  }

  stop(): Promise<void> {
    return this.#disc.stop();
  }
}

/** The process's RSS, sampled every `intervalMs` until stopped. */
export class RssSampler {
  readonly #timer: NodeJS.Timeout;
  #peak: NodeJS.MemoryUsage = process.memoryUsage();

  constructor(intervalMs = 50) {
    this.#timer = setInterval(() => this.#sample(), intervalMs);
  }

  #sample(): void {
    const now = process.memoryUsage();
    if (now.rss > this.#peak.rss) this.#peak = now;
  }

  /** The highest RSS seen, in bytes. */
  get peak(): number {
    this.#sample();
    return this.#peak.rss;
  }

  /** ArrayBuffer and heap bytes when the RSS was highest. */
  get peakMemory(): { arrayBuffers: number; heapUsed: number } {
    return { arrayBuffers: this.#peak.arrayBuffers, heapUsed: this.#peak.heapUsed };
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Event-loop delay over a window (Node's histogram, 1 ms resolution). */
export class LoopDelay {
  readonly #histogram = monitorEventLoopDelay({ resolution: 1 });

  constructor() {
    this.#histogram.enable();
  }

  /** Stops measuring; p50, p99 and max delay in ms. */
  stop(): { p50: number; p99: number; max: number } {
    this.#histogram.disable();
    const ms = (ns: number): number => ns / 1e6;
    return {
      p50: ms(this.#histogram.percentile(50)),
      p99: ms(this.#histogram.percentile(99)),
      max: ms(this.#histogram.max),
    };
  }
}
