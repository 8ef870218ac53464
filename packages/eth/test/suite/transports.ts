/**
 * Two ways to put the suite client in front of our eth protocol serving a chain:
 * - `pipe`: our protocol's `run()` over a msgPipe, unbuffered, so a node that waited for the
 *   suite's Status before sending its own would deadlock the suite's first read;
 * - `server`: our Server (eth/72 to eth/68 offered) dialed by a second Server playing the
 *   suite, with geth's suite capabilities (`eth/70` + `eth/69`, or `eth/67` + `eth/68` for the
 *   eth/68-era suite) as bare protocols that hand their stream to the test: real RLPx, Hello,
 *   snappy, capability matching and pings underneath.
 * @module
 */

import { seededRandom } from '@ethp2p/base';
import { MemoryTxPool } from '@ethp2p/chain';
import { generatePrivateKey } from '@ethp2p/crypto';
import {
  type MsgReadWriter,
  msgPipe,
  type Protocol,
  type ProtocolPeer,
  type RunOptions,
  Server,
} from '@ethp2p/server';
import type { ChainReader } from '../../src/chain/types.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import { fakePeer } from '../peer/fixtures.ts';

/** The suite's connection to our node. */
export interface SuiteConnection {
  /** The suite's message stream (eth codes from 0). */
  readonly rw: MsgReadWriter;
  /** The eth version the connection negotiated. */
  readonly version: number;
  /** Our node's registered eth peers. */
  readonly peerSet: PeerSet;
  /** Our node's Server (the `server` transport only). */
  readonly node?: Server;
  /** Whether our node still runs the connection the suite started with. */
  connected(): boolean;
  /** Ends everything the connection started. */
  close(): Promise<void>;
}

/** How a test reaches our node. */
export type TransportName = 'pipe' | 'server';

/**
 * The eth versions the suite speaks: eth/70 as eth/69 plus paged receipts; eth/72 (not geth's
 * suite: for the RLP-bomb tests of the eth/71 and eth/72 messages) announced alone.
 */
export type SuiteVersion = 68 | 69 | 70 | 72;

/** Connects the suite, speaking `version`, to our eth protocol serving `chain`. */
export function connectSuite(
  transport: TransportName,
  version: SuiteVersion,
  chain: ChainReader,
): Promise<SuiteConnection> {
  return transport === 'pipe' ? overPipe(version, chain) : overServers(version, chain);
}

async function overPipe(version: SuiteVersion, chain: ChainReader): Promise<SuiteConnection> {
  const [ours, theirs] = msgPipe();
  const peerSet = new PeerSet();
  const controller = new AbortController();
  const peer = fakePeer(1, () => {
    controller.abort(new Error('disconnected'));
    ours.close();
  });
  const [proto] = createEthProtocols({
    backend: { chain, txPool: new MemoryTxPool() },
    peerSet,
    versions: [version],
    random: seededRandom(1),
  });
  let running = true;
  const ended = (proto as Protocol)
    .run(peer, ours, { signal: controller.signal })
    .catch(() => {})
    .finally(() => {
      running = false;
    });
  return {
    rw: theirs,
    version,
    peerSet,
    connected: () => running && !theirs.closed && peer.disconnects.length === 0,
    async close() {
      controller.abort(new Error('test over'));
      ours.close();
      await ended;
    },
  };
}

/**
 * The capabilities the suite announces: geth's at HEAD (eth/70 + eth/69), eth/69 alone (to
 * test eth/69 over servers now that both sides also speak eth/70), geth v1.15's (eth/67 +
 * eth/68), and eth/72 alone.
 */
const SUITE_CAPS: Record<SuiteVersion, readonly [number, number][]> = {
  72: [[72, 22]],
  70: [
    [70, 18],
    [69, 18],
  ],
  69: [[69, 18]],
  68: [
    [67, 17],
    [68, 17],
  ],
};

interface Handed {
  readonly rw: MsgReadWriter;
  readonly version: number;
  readonly signal: AbortSignal;
}

/** A bare protocol: its run hands the stream to the test and lasts until the peer ends. */
class HandOver implements Protocol {
  readonly name = 'eth';
  readonly version: number;
  readonly length: number;
  readonly #onRun: (h: Handed) => void;

  constructor(version: number, length: number, onRun: (h: Handed) => void) {
    this.version = version;
    this.length = length;
    this.#onRun = onRun;
  }

  async run(_peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
    this.#onRun({ rw, version: this.version, signal });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}

async function overServers(version: SuiteVersion, chain: ChainReader): Promise<SuiteConnection> {
  const peerSet = new PeerSet();
  const node = new Server({
    privateKey: generatePrivateKey(),
    name: 'ethp2p-under-test',
    protocols: createEthProtocols({ backend: { chain, txPool: new MemoryTxPool() }, peerSet }),
  });
  let onRun: (h: Handed) => void = () => {};
  const handed = new Promise<Handed>((resolve) => {
    onRun = resolve;
  });
  const suite = new Server({
    privateKey: generatePrivateKey(),
    name: 'ethtest',
    listenAddress: null,
    protocols: SUITE_CAPS[version].map(([v, length]) => new HandOver(v, length, onRun)),
  });
  const close = async (): Promise<void> => {
    await Promise.all([suite.stop(), node.stop()]);
  };
  try {
    await node.start();
    await suite.start();
    suite.addPeer(node.self());
    const h = await within(handed, 10_000, 'the suite connection');
    return {
      rw: h.rw,
      version: h.version,
      peerSet,
      node,
      connected: () => !h.signal.aborted && node.peerCount() === 1,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`timed out waiting for ${what}`));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
