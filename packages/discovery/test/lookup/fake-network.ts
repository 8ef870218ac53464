/**
 * A fake discv4 network for lookup tests: real keys, and a FINDNODE that answers with the 16
 * closest nodes to the target among those the queried node knows, in a seeded-random order, one
 * answer per macrotask. Instrumented: calls, signals, in-flight count and its maximum.
 */

import type { Random } from '@ethp2p/base';
import { generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import { distCmp, logDistance, Node, nodeIdToHex } from '@ethp2p/enode';
import type { LookupDeps } from '../../src/lookup/lookup.ts';

/** `n` nodes with fresh keys and distinct 10.x.y.z addresses. */
export function makeNodes(n: number): Node[] {
  const nodes: Node[] = [];
  for (let i = 1; i <= n; i++) {
    const ip = `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
    nodes.push(Node.fromPublicKey(publicKey(generatePrivateKey()), { ip, udp: 30303, tcp: 30303 }));
  }
  return nodes;
}

/** The `n` nodes of `nodes` closest to `targetId`, nearest first (brute force). */
export function closestTo(targetId: Uint8Array, nodes: readonly Node[], n: number): Node[] {
  return [...nodes].sort((a, b) => distCmp(targetId, a.id, b.id)).slice(0, n);
}

/** Hex IDs, for readable comparisons. */
export function ids(nodes: readonly Node[]): string[] {
  return nodes.map((n) => nodeIdToHex(n.id));
}

/**
 * Kademlia-like knowledge: up to `perBucket` random nodes per log distance, plus the `nearest`
 * closest nodes.
 */
export function kademliaKnowledge(perBucket: number, nearest: number, random: Random) {
  return (self: Node, all: readonly Node[]): Node[] => {
    const others = all.filter((n) => n !== self);
    const known = new Set(closestTo(self.id, others, nearest));
    const buckets = new Map<number, Node[]>();
    for (const n of others) {
      const d = logDistance(self.id, n.id);
      buckets.set(d, [...(buckets.get(d) ?? []), n]);
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < perBucket && bucket.length > 0; i++) {
        known.add(bucket.splice(random.intn(bucket.length), 1)[0] as Node);
      }
    }
    return [...known];
  };
}

/** How one node answers FINDNODE. */
export type Behaviour = 'answer' | 'fail' | 'timeout' | 'empty' | 'hang';

/** A recorded FINDNODE call. */
export interface FindnodeCall {
  readonly node: Node;
  readonly signal: AbortSignal;
}

/** The fake network. `nodes` may include the local node, which others then know and return. */
export class FakeNetwork {
  readonly nodes: readonly Node[];
  readonly calls: FindnodeCall[] = [];
  readonly behaviour = new Map<string, Behaviour>();
  /** Overrides the answer of a node. */
  readonly answers = new Map<string, Node[]>();
  inFlight = 0;
  maxInFlight = 0;
  /** When true, answers wait for {@link FakeNetwork.release} instead of a macrotask. */
  manual = false;
  readonly #knowledge: (self: Node, all: readonly Node[]) => Node[];
  readonly #known = new Map<Node, Node[]>();
  readonly #queue: (() => void)[] = [];
  readonly #random: Random;

  constructor(
    nodes: readonly Node[],
    knowledge: (self: Node, all: readonly Node[]) => Node[],
    random: Random,
  ) {
    this.nodes = nodes;
    this.#knowledge = knowledge;
    this.#random = random;
  }

  /** Answers queued in manual mode. */
  get queued(): number {
    return this.#queue.length;
  }

  /** The answer `node` gives for `targetId`: its 16 closest known nodes. */
  answerOf(node: Node, targetId: Uint8Array): Node[] {
    const override = this.answers.get(nodeIdToHex(node.id));
    if (override !== undefined) return override;
    let known = this.#known.get(node);
    if (known === undefined) {
      known = this.#knowledge(node, this.nodes);
      this.#known.set(node, known);
    }
    return closestTo(targetId, known, 16);
  }

  /** The behaviour of `node` (default `answer`). */
  behaviourOf(node: Node): Behaviour {
    return this.behaviour.get(nodeIdToHex(node.id)) ?? 'answer';
  }

  findnode = (node: Node, targetPublicKey: Uint8Array, signal: AbortSignal): Promise<Node[]> => {
    this.calls.push({ node, signal });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const behaviour = this.behaviourOf(node);
    return new Promise<Node[]>((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        this.inFlight--;
        signal.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = (): void => finish(() => reject(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      if (behaviour === 'hang') return;
      this.#enqueue(() =>
        finish(() => {
          if (behaviour === 'fail') reject(new Error('findnode failed'));
          else if (behaviour === 'timeout') reject(new Error('timeout'));
          else if (behaviour === 'empty') resolve([]);
          else resolve(this.answerOf(node, keccak256(targetPublicKey)));
        }),
      );
    });
  };

  /** Settles `n` queued answers (manual mode), picked at random. */
  release(n = 1): void {
    for (let i = 0; i < n && this.#queue.length > 0; i++) this.#settleRandom();
  }

  /** Lookup dependencies for the local node `self`, seeded from `table`. */
  deps(selfId: Uint8Array, table: readonly Node[]): LookupDeps & { tracked: Tracked[] } {
    const tracked: Tracked[] = [];
    return {
      selfId,
      tracked,
      closest: (targetId, n) => closestTo(targetId, table, n),
      findnode: this.findnode,
      trackRequest: (node, success, found) => tracked.push({ node, success, found }),
    };
  }

  #enqueue(settle: () => void): void {
    this.#queue.push(settle);
    if (!this.manual) setImmediate(() => this.#settleRandom());
  }

  #settleRandom(): void {
    if (this.#queue.length === 0) return;
    const [settle] = this.#queue.splice(this.#random.intn(this.#queue.length), 1);
    settle?.();
  }
}

/** A recorded trackRequest call. */
export interface Tracked {
  readonly node: Node;
  readonly success: boolean;
  readonly found: readonly Node[];
}

/** Lets pending promise callbacks and macrotasks run. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
