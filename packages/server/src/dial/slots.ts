/**
 * Slot accounting and candidate buffers of the dial scheduler (geth 2019 `dialstate.newTasks`:
 * `needDynDials`, half of them from random nodes).
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { DialOrigin, PeerDialFlag } from './types.ts';

/** A usable node from the source, waiting for a slot. */
export interface Candidate {
  readonly node: Node;
  readonly key: string;
  /** When the source yielded it (clock ms). */
  readonly discoveredAt: number;
}

/** Free capacity, by kind. Values can be negative when peers exceed a limit. */
export interface Slots {
  /** Dial tasks that may still start (`maxActiveDials` − running). */
  readonly active: number;
  /** Dynamic slots free: `maxDialedPeers` − dynamic peers − dynamic dials in progress. */
  readonly dynamic: number;
  /** Slots random nodes may take: at most half of the dynamic ones, and no more than are free. */
  readonly random: number;
  /** Slots lookup nodes may take: the free dynamic ones not held for random nodes. */
  readonly lookup: number;
}

/** What {@link countSlots} reads. */
export interface SlotInput {
  readonly peers: Iterable<{ readonly flag: PeerDialFlag; readonly origin: string | undefined }>;
  readonly dialing: Iterable<{ readonly key: string; readonly origin: DialOrigin }>;
  isPeer(key: string): boolean;
  readonly maxDialedPeers: number;
  /** ⌊maxDialedPeers / 2⌋. */
  readonly randomSlots: number;
  readonly maxActiveDials: number;
  readonly activeDials: number;
  /** Whether the free random slots are held back from lookups. */
  readonly holdRandom: boolean;
}

/**
 * Counts the free slots. A dial whose peer was already reported added counts as the peer, not
 * as a dial, so it is never counted twice.
 */
export function countSlots(input: SlotInput): Slots {
  let dynamicPeers = 0;
  let randomPeers = 0;
  for (const peer of input.peers) {
    if (peer.flag !== 'dynamic') continue;
    dynamicPeers++;
    if (peer.origin === 'random') randomPeers++;
  }
  let dynamicDials = 0;
  let randomDials = 0;
  for (const task of input.dialing) {
    if (task.origin === 'static' || input.isPeer(task.key)) continue;
    dynamicDials++;
    if (task.origin === 'random') randomDials++;
  }
  const dynamic = input.maxDialedPeers - dynamicPeers - dynamicDials;
  const random = Math.min(dynamic, input.randomSlots - randomPeers - randomDials);
  const held = input.holdRandom ? Math.max(0, random) : 0;
  return {
    active: input.maxActiveDials - input.activeDials,
    dynamic,
    random,
    lookup: dynamic - held,
  };
}

/**
 * Appends `candidate` unless a candidate of the same node is buffered; past `cap` (at least 1)
 * the oldest is dropped, so the buffer keeps the freshest nodes.
 */
export function pushCandidate(buffer: Candidate[], candidate: Candidate, cap: number): void {
  if (buffer.some((c) => c.key === candidate.key)) return;
  buffer.push(candidate);
  while (buffer.length > Math.max(1, cap)) buffer.shift();
}
