/**
 * Test helpers for the node table: a pool of real keys sorted by log distance to a chosen local
 * ID, node builders, a scripted random source and a recording revalidator (geth
 * `table_util_test.go` `pingRecorder`).
 */

import type { Random } from '@ethp2p/base';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, logDistance, Node, nodeIdFromPublicKey } from '@ethp2p/enode';
import type { Revalidator } from '../../src/table/revalidation.ts';

/** The local ID used by the table tests: all zeros, so log distance = 256 − leading zero bits. */
export const SELF_ID: Uint8Array = new Uint8Array(32);

/** A key pair and its ID. */
export interface TestKey {
  readonly priv: Uint8Array;
  readonly pub: Uint8Array;
  readonly id: Uint8Array;
}

/**
 * Generates `n` keys up front and hands them out by log distance to {@link SELF_ID}. A distance
 * the pool has too few keys for gets more generated on demand (a random key is at distance d with
 * probability 2^(d−257)), up to {@link MAX_EXTRA_KEYS}, so a rare distance never fails a test by
 * chance.
 */
export class KeyPool {
  readonly #byDistance = new Map<number, TestKey[]>();

  constructor(n: number) {
    for (let i = 0; i < n; i++) this.#generate();
  }

  /** Takes `count` unused keys at log distance `d`; throws if none can be found in time. */
  take(d: number, count = 1): TestKey[] {
    for (let extra = 0; (this.#byDistance.get(d)?.length ?? 0) < count; extra++) {
      if (extra >= MAX_EXTRA_KEYS) {
        const have = this.#byDistance.get(d)?.length ?? 0;
        throw new Error(`key pool: only ${have} keys at distance ${d}`);
      }
      this.#generate();
    }
    return (this.#byDistance.get(d) as TestKey[]).splice(0, count);
  }

  #generate(): void {
    const priv = generatePrivateKey();
    const pub = publicKey(priv);
    const key = { priv, pub, id: nodeIdFromPublicKey(pub) };
    const d = logDistance(SELF_ID, key.id);
    const list = this.#byDistance.get(d) ?? [];
    list.push(key);
    this.#byDistance.set(d, list);
  }
}

/** Keys generated beyond the pool's size for one take (distance 245 needs ~4,096 per key). */
const MAX_EXTRA_KEYS = 1 << 16;

let ipCounter = 0;

/** A fresh public IPv4 address in its own /24 (20.x.y.1, 21.x.y.1, ...). */
export function uniqueIp(): string {
  const i = ipCounter++;
  return `${20 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}.1`;
}

/** An unsigned node (seq 0) for `key` at `ip`:`udp`. */
export function nodeOf(key: TestKey, ip: string = uniqueIp(), udp = 30303): Node {
  return Node.fromPublicKey(key.pub, { ip, udp, tcp: udp });
}

/** A node with a signed record of sequence number `seq`. */
export function signedNode(key: TestKey, seq: bigint, ip: string, udp = 30303): Node {
  return Node.fromEnr(Enr.sign({ seq, entries: { ip, udp, tcp: udp } }, key.priv));
}

/** A random source whose `intn` returns the scripted values in turn (modulo n), then 0. */
export function scriptedRandom(values: number[]): Random {
  return {
    bytes: (length) => new Uint8Array(length),
    intn: (n) => (values.shift() ?? 0) % n,
  };
}

/** Lets pending promise callbacks run (no timers involved). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** How a node answers the recording revalidator. */
export interface PeerBehaviour {
  /** Answers pings (default true). */
  alive?: boolean;
  /** The seq announced in pongs (default: the pinged node's seq). */
  seq?: bigint;
  /** The record returned by ENR requests. */
  record?: Node;
  /** When set, pings to this node wait until {@link RecordingRevalidator.release} is called. */
  hold?: boolean;
}

/** A fake transport that records pings and ENR requests and answers from a script. */
export class RecordingRevalidator implements Revalidator {
  readonly pings: { id: string; atMs: number; signal: AbortSignal }[] = [];
  readonly enrRequests: string[] = [];
  readonly behaviour = new Map<string, PeerBehaviour>();
  readonly #held: (() => void)[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Sets how the node `id` behaves. */
  set(id: Uint8Array, behaviour: PeerBehaviour): void {
    this.behaviour.set(bytesToHex(id), behaviour);
  }

  async ping(node: Node, signal: AbortSignal): Promise<{ seq: bigint } | undefined> {
    const id = bytesToHex(node.id);
    this.pings.push({ id, atMs: this.#now(), signal });
    const b = this.behaviour.get(id) ?? {};
    if (b.hold === true) {
      await new Promise<void>((resolve, reject) => {
        this.#held.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (b.alive === false) return undefined;
    return { seq: b.seq ?? node.seq };
  }

  async requestEnr(node: Node): Promise<Node | undefined> {
    const id = bytesToHex(node.id);
    this.enrRequests.push(id);
    return this.behaviour.get(id)?.record;
  }

  /** Lets every held ping complete. */
  release(): void {
    for (const resolve of this.#held.splice(0)) resolve();
  }

  /** How many pings `id` received. */
  pingCount(id: Uint8Array): number {
    const hex = bytesToHex(id);
    return this.pings.filter((p) => p.id === hex).length;
  }
}
