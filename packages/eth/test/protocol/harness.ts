/**
 * A harness that runs one eth protocol over a msgPipe, with the test playing the remote end.
 */
import { type Clock, type Random, SimulatedClock, seededRandom } from '@ethp2p/base';
import type { MemoryChain } from '@ethp2p/chain';
import { MemoryTxPool } from '@ethp2p/chain';
import { type DiscReason, expectMsg, type MsgPipeEnd, msgPipe, PeerError } from '@ethp2p/server';
import { expect } from 'vitest';
import type { Backend } from '../../src/chain/types.ts';
import { localStatus, type Status } from '../../src/handshake.ts';
import type { EthPeer } from '../../src/peer/eth-peer.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols, type EthProtocolOptions } from '../../src/protocol.ts';
import type { GeneratedChain } from '../helpers/chain-generator.ts';
import { type FakePeer, fakePeer, memoryChain, send, type Version } from '../peer/fixtures.ts';

/** What {@link startPeer} sets up. */
export interface Harness {
  readonly peer: EthPeer;
  /** The remote end: the test writes and reads the remote's messages here. */
  readonly remote: MsgPipeEnd;
  readonly fake: FakePeer;
  readonly peerSet: PeerSet;
  readonly backend: { chain: MemoryChain; txPool: MemoryTxPool };
  readonly clock: SimulatedClock;
  readonly gen: GeneratedChain;
  /** How the protocol run ended. */
  readonly ended: Promise<{ ok: true } | { ok: false; error: unknown }>;
  /** The Status the remote sent. */
  readonly remoteStatus: Status;
}

/** Options of {@link startPeer}. */
export interface StartOptions extends Partial<Omit<EthProtocolOptions, 'backend' | 'peerSet'>> {
  readonly version?: Version;
  readonly random?: Random;
  readonly clock?: Clock;
  readonly peerSet?: PeerSet;
  readonly backend?: { chain: MemoryChain; txPool: MemoryTxPool };
  readonly n?: number;
}

/**
 * Runs our eth protocol over a msgPipe and completes the Status exchange from the remote end.
 * The fake peer's `disconnect` aborts the run and closes the pipe, as the server would.
 */
export async function startPeer(options: StartOptions = {}): Promise<Harness> {
  const version = options.version ?? 69;
  const clock = (options.clock as SimulatedClock | undefined) ?? new SimulatedClock(1_000_000);
  const { chain, gen } = await memoryChain();
  const backend = options.backend ?? { chain, txPool: new MemoryTxPool() };
  const peerSet = options.peerSet ?? new PeerSet();
  const [ours, remote] = msgPipe({ clock });
  const controller = new AbortController();
  const fake = fakePeer(options.n ?? 1, () => {
    controller.abort(new Error('disconnected'));
    ours.close();
  });
  const [proto] = createEthProtocols({
    random: seededRandom(7),
    syncTransactions: false,
    ...options,
    backend: backend as Backend,
    peerSet,
    clock,
    versions: [version],
  });
  const registered = new Promise<EthPeer>((resolve) =>
    peerSet.events.once('peer:registered', ({ peer }) => resolve(peer)),
  );
  const ended = (proto as NonNullable<typeof proto>)
    .run(fake, ours, { signal: controller.signal })
    .then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const remoteStatus = localStatus(version, backend.chain, {
    networkId: backend.chain.config.networkId,
    earliest: 0n,
    td: 0n,
  });
  await Promise.all([send(remote, version, 'Status', remoteStatus), expectMsg(remote, 0)]);
  const peer = await registered;
  return { peer, remote, fake, peerSet, backend, clock, gen, ended, remoteStatus };
}

/** Waits for the run to end with a `PeerError` of `reason`, and returns it. */
export async function endedWith(harness: Harness, reason: DiscReason): Promise<PeerError> {
  const end = await harness.ended;
  expect(end.ok).toBe(false);
  const err = (end as { error: unknown }).error;
  expect(err).toBeInstanceOf(PeerError);
  expect((err as PeerError).reason).toBe(reason);
  return err as PeerError;
}
