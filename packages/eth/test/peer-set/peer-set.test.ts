import { MemoryLogger, SimulatedClock, seededRandom } from '@ethp2p/base';
import { thrownError } from '@ethp2p/base/testing';
import { MemoryTxPool } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { nodeIdToHex } from '@ethp2p/enode';
import { DiscReason, msgPipe } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { Status } from '../../src/handshake.ts';
import { PeerSetError } from '../../src/peer/errors.ts';
import { EthPeer } from '../../src/peer/eth-peer.ts';
import { MessageWriter } from '../../src/peer/message-writer.ts';
import { broadcastTransactions } from '../../src/peer-set/broadcast.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { blobTx } from '../helpers/blob-tx.ts';
import { type FakePeer, fakePeer, hashOf, legacyTx, table } from '../peer/fixtures.ts';

const pool = new MemoryTxPool();
const closers: (() => void)[] = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const forkId = { hash: Uint8Array.of(1, 2, 3, 4), next: 0n };

function status69(latest: bigint): Status {
  return {
    version: 69,
    networkId: 1n,
    genesis: hashOf(0),
    forkId,
    earliest: 0n,
    latest,
    latestHash: hashOf(1000 + Number(latest)),
  };
}

function status68(td: bigint): Status {
  return { version: 68, networkId: 1n, td, head: hashOf(2000), genesis: hashOf(0), forkId };
}

/** An EthPeer over a msgPipe nobody reads (sends stay queued). */
function ethPeer(
  n: number,
  status: Status = status69(10n),
  txPool = pool,
): EthPeer & { fake: FakePeer } {
  const [ours] = msgPipe();
  closers.push(() => ours.close());
  const fake = fakePeer(n);
  const version = status.version === 69 ? 69 : 68;
  const peer = new EthPeer({
    peer: fake,
    writer: new MessageWriter(ours, table(version)),
    status,
    txPool,
    clock: new SimulatedClock(),
    random: seededRandom(n),
  });
  closers.push(() => peer.close());
  return Object.assign(peer, { fake });
}

function expectSetError(fn: () => unknown, code: string): void {
  thrownError(fn, PeerSetError, code);
}

describe('PeerSet', () => {
  it('registers, finds, counts and iterates peers, with events', () => {
    const set = new PeerSet();
    const events: string[] = [];
    set.events.on('peer:registered', ({ peer }) => events.push(`+${peer.key.slice(0, 4)}`));
    set.events.on('peer:unregistered', ({ peer }) => events.push(`-${peer.key.slice(0, 4)}`));
    const a = ethPeer(1);
    const b = ethPeer(2);
    set.register(a);
    set.register(b);
    expect(set.len).toBe(2);
    expect([...set]).toEqual([a, b]);
    expect(set.peer(a.id)).toBe(a);
    expect(set.peer(nodeIdToHex(b.id))).toBe(b);
    expect(set.peer(`0x${nodeIdToHex(b.id).toUpperCase()}`)).toBe(b);
    expect(set.unregister(a.id)).toBe(a);
    expect(set.peer(a.id)).toBeUndefined();
    expect(set.len).toBe(1);
    expect(events).toEqual([
      `+${a.key.slice(0, 4)}`,
      `+${b.key.slice(0, 4)}`,
      `-${a.key.slice(0, 4)}`,
    ]);
  });

  it('registers and unregisters even when a listener throws, and logs the listener', () => {
    const logger = new MemoryLogger();
    const set = new PeerSet({ logger });
    set.events.on('peer:registered', () => {
      throw new Error('listener bug');
    });
    set.events.on('peer:unregistered', () => {
      throw new Error('listener bug');
    });
    const a = ethPeer(11);
    set.register(a);
    expect(set.len).toBe(1);
    expect(set.unregister(a.id)).toBe(a);
    expect(set.len).toBe(0);
    expect(logger.lines.map((l) => [l.level, l.msg, l.fields?.event])).toEqual([
      ['warn', 'peer set listener failed', 'peer:registered'],
      ['warn', 'peer set listener failed', 'peer:unregistered'],
    ]);
  });

  it('refuses to register a peer twice', () => {
    const set = new PeerSet();
    set.register(ethPeer(1));
    expectSetError(() => set.register(ethPeer(1)), 'ALREADY_REGISTERED');
    expect(set.len).toBe(1);
  });

  it('refuses to unregister an unknown peer', () => {
    expectSetError(() => new PeerSet().unregister(hashOf(1)), 'NOT_REGISTERED');
  });

  it('close() disconnects every peer with ClientQuitting, once, and refuses new ones', () => {
    const set = new PeerSet();
    const a = ethPeer(1);
    const b = ethPeer(2);
    set.register(a);
    set.register(b);
    set.close();
    set.close();
    expect(set.closed).toBe(true);
    expect(a.fake.disconnects).toEqual([DiscReason.ClientQuitting]);
    expect(b.fake.disconnects).toEqual([DiscReason.ClientQuitting]);
    expectSetError(() => set.register(ethPeer(3)), 'CLOSED');
    // Peers leave as their runs end.
    set.unregister(a.id);
    expect(set.len).toBe(1);
  });

  it('finds the peers without a transaction or a block', () => {
    const set = new PeerSet();
    const a = ethPeer(1);
    const b = ethPeer(2);
    set.register(a);
    set.register(b);
    a.markTransactions(hashOf(7));
    b.markBlocks(hashOf(8));
    expect(set.peersWithoutTx(hashOf(7))).toEqual([b]);
    expect(set.peersWithoutBlock(hashOf(8))).toEqual([a]);
    expect(set.peersWithoutTx(hashOf(9))).toEqual([a, b]);
  });

  it('bestPeer() picks the highest block range, the first registered on a tie', () => {
    const set = new PeerSet();
    expect(set.bestPeer()).toBeUndefined();
    const a = ethPeer(1, status69(10n));
    const b = ethPeer(2, status69(30n));
    const c = ethPeer(3, status69(30n));
    set.register(a);
    set.register(b);
    set.register(c);
    expect(set.bestPeer()).toBe(b);
    c.updateBlockRange({ earliest: 0n, latest: 31n, latestHash: hashOf(31) });
    expect(set.bestPeer()).toBe(c);
  });

  it('bestPeer() ranks eth/68 peers by announced number, then total difficulty', () => {
    const set = new PeerSet();
    const a = ethPeer(1, status68(5n));
    const b = ethPeer(2, status68(9n));
    set.register(a);
    set.register(b);
    expect(set.bestPeer()).toBe(b);
    a.announcedBlocks([{ hash: hashOf(3), number: 3n }]);
    expect(set.bestPeer()).toBe(a);
  });
});

describe('broadcastTransactions', () => {
  it('sends in full to √n of the peers lacking a transaction and announces to the rest', () => {
    const txPool = new MemoryTxPool();
    const small = legacyTx(1);
    const blob = blobTx({ nonce: 2 });
    const large = legacyTx(3, 5_000);
    txPool.add([small, blob.full, large]);
    const set = new PeerSet();
    const peers = [1, 2, 3, 4, 5].map((n) => ethPeer(n, status69(1n), txPool));
    for (const p of peers) set.register(p);
    (peers[4] as EthPeer).markTransactions(keccak256(small));

    // 4 peers lack `small`: 2 get it in full, 2 an announcement.
    expect(broadcastTransactions(set, txPool, [keccak256(small)])).toEqual({
      sent: 2,
      announced: 2,
    });
    expect(peers.every((p) => p.knowsTransaction(keccak256(small)))).toBe(true);
    // Blob and large transactions are only announced.
    expect(broadcastTransactions(set, txPool, [blob.hash, keccak256(large)])).toEqual({
      sent: 0,
      announced: 10,
    });
    // Nothing is left to send: every peer knows them all now; unpooled hashes are skipped.
    expect(broadcastTransactions(set, txPool, [keccak256(small), hashOf(1)])).toEqual({
      sent: 0,
      announced: 0,
    });
  });
});
