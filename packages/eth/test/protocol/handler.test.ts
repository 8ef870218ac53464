import { RLP } from '@ethereumjs/rlp';
import { isCollected, waitFor } from '@ethp2p/base/testing';
import { MemoryTxPool } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { DiscReason, expectMsg, msgPipe } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ETH69, encodeMessage, MAX_MESSAGE_SIZE } from '../../src/messages/versions.ts';
import { REQUEST_TIMEOUT_MS } from '../../src/peer/constants.ts';
import { txToWire } from '../../src/peer/tx-wire.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import {
  expectEth,
  fakePeer,
  hashOf,
  legacyTx,
  memoryChain,
  send,
  typedTx,
} from '../peer/fixtures.ts';
import { endedWith, type Harness, startPeer } from './harness.ts';

let h: Harness | undefined;

/**
 * Writes a GetBlockBodies of `count` known hashes from the remote end; only a weak reference to
 * its payload stays here.
 */
async function sendBodiesRequest(h: Harness, count: number): Promise<WeakRef<Uint8Array>> {
  const hashes = Array.from({ length: count }, (_, i) => h.gen.hashes[i % 16] as Uint8Array);
  const { code, data } = encodeMessage(ETH69, 'GetBlockBodies', { requestId: 1n, hashes });
  await h.remote.writeMsg(code, data);
  return new WeakRef(data);
}

afterEach(() => {
  h?.remote.close();
  h = undefined;
});

describe('eth protocol run', () => {
  it.each([68, 69] as const)('eth/%i: registers the peer after Status', async (version) => {
    h = await startPeer({ version });
    expect(h.peerSet.len).toBe(1);
    expect(h.peerSet.peer(h.fake.id)).toBe(h.peer);
    expect(h.peer.version).toBe(version);
    expect(h.peer.status).toEqual(h.remoteStatus);
  });

  it('unregisters the peer when the run ends and leaves no timer', async () => {
    h = await startPeer();
    const left: unknown[] = [];
    h.peerSet.events.on('peer:unregistered', ({ peer }) => left.push(peer));
    h.peer.disconnect(DiscReason.Requested);
    expect(await h.ended).toEqual({ ok: true });
    expect(left).toEqual([h.peer]);
    expect(h.peerSet.len).toBe(0);
    expect(h.peer.closed).toBe(true);
    expect(h.clock.pending).toBe(0);
  });

  it('refuses to start once the peer set is closed (ClientQuitting)', async () => {
    const { chain } = await memoryChain();
    const peerSet = new PeerSet();
    peerSet.close();
    const [proto] = createEthProtocols({ backend: { chain, txPool: new MemoryTxPool() }, peerSet });
    const [ours, theirs] = msgPipe();
    const run = proto?.run(fakePeer(), ours, { signal: new AbortController().signal });
    await expect(run).rejects.toMatchObject({ reason: DiscReason.ClientQuitting });
    expect(theirs.closed).toBe(false); // nothing was sent: not even our Status
  });
});

describe('eth message checks', () => {
  it('ends the peer with ProtocolError for a code eth/69 does not have', async () => {
    h = await startPeer({ version: 69 });
    await h.remote.writeMsg(0x01, RLP.encode([])); // NewBlockHashes: eth/68 only
    const err = await endedWith(h, DiscReason.ProtocolError);
    expect(err.message).toMatch(/unknown message code/);
    expect(h.peerSet.len).toBe(0);
  });

  it('ends the peer with ProtocolError for a code eth/68 does not have', async () => {
    h = await startPeer({ version: 68 });
    await h.remote.writeMsg(0x0b, RLP.encode([]));
    await endedWith(h, DiscReason.ProtocolError);
  });

  it('ends the peer with ProtocolError for a malformed message', async () => {
    h = await startPeer();
    await h.remote.writeMsg(0x03, RLP.encode([1n, [2n]]));
    const err = await endedWith(h, DiscReason.ProtocolError);
    expect(err.message).toMatch(/GetBlockHeaders/);
  });

  it('ends the peer with ProtocolError for a message over 10 MiB', async () => {
    h = await startPeer();
    await h.remote.writeMsg(0x02, new Uint8Array(MAX_MESSAGE_SIZE + 1));
    const err = await endedWith(h, DiscReason.ProtocolError);
    expect(err.message).toMatch(/message of/);
  });

  it('ends the peer with ProtocolError for a second Status', async () => {
    h = await startPeer();
    await send(h.remote, 69, 'Status', h.remoteStatus);
    const err = await endedWith(h, DiscReason.ProtocolError);
    expect(err.message).toMatch(/extra status/);
  });
});

describe('serving requests', () => {
  it('answers GetBlockHeaders with the same request id', async () => {
    h = await startPeer();
    await send(h.remote, 69, 'GetBlockHeaders', {
      requestId: 33n,
      origin: { hash: h.gen.hashes[1] as Uint8Array },
      amount: 2n,
      skip: 1n,
      reverse: false,
    });
    const res = await expectEth(h.remote, 69, 'BlockHeaders');
    expect(res.requestId).toBe(33n);
    expect(res.headers).toEqual([h.gen.headers[1], h.gen.headers[3]]);
  });

  it('answers a request for unknown headers with an empty list and stays up', async () => {
    h = await startPeer();
    for (let id = 0n; id < 3n; id++) {
      await send(h.remote, 69, 'GetBlockHeaders', {
        requestId: id,
        origin: { number: 2n ** 64n - 1n },
        amount: 1n,
        skip: 0n,
        reverse: false,
      });
      expect(await expectEth(h.remote, 69, 'BlockHeaders')).toEqual({ requestId: id, headers: [] });
    }
    expect(h.peerSet.len).toBe(1);
  });

  it('answers GetBlockBodies', async () => {
    h = await startPeer();
    const hashes = [h.gen.hashes[4], h.gen.hashes[5]] as Uint8Array[];
    await send(h.remote, 69, 'GetBlockBodies', { requestId: 55n, hashes });
    const res = await expectEth(h.remote, 69, 'BlockBodies');
    expect(res).toEqual({ requestId: 55n, bodies: [h.gen.bodies[4], h.gen.bodies[5]] });
  });

  it('keeps nothing of a served request while it waits for the next message', async () => {
    // 30k hashes (about 1 MiB): an idle peer must not hold its last request until the next.
    h = await startPeer();
    const ref = await sendBodiesRequest(h, 30_000);
    const res = await expectEth(h.remote, 69, 'BlockBodies');
    expect(res.bodies.length).toBeGreaterThan(0);
    expect(await isCollected(ref)).toBe(true);
    expect(h.peerSet.len).toBe(1);
  });

  it.each([68, 69] as const)('eth/%i: answers GetReceipts', async (version) => {
    h = await startPeer({ version });
    // Block 2 has no transactions, so the chain knows its (empty) receipts.
    await send(h.remote, version, 'GetReceipts', {
      requestId: 66n,
      hashes: [h.gen.hashes[2] as Uint8Array],
    });
    expect(await expectEth(h.remote, version, 'Receipts')).toEqual({
      requestId: 66n,
      receipts: [[]],
    });
  });

  it('answers GetPooledTransactions from the pool, skipping unknown hashes', async () => {
    h = await startPeer();
    const legacy = legacyTx(1);
    const typed = typedTx(2, 2);
    h.backend.txPool.add([legacy, typed]);
    await send(h.remote, 69, 'GetPooledTransactions', {
      requestId: 1234n,
      hashes: [keccak256(legacy), hashOf(9), keccak256(typed)],
    });
    expect(await expectEth(h.remote, 69, 'PooledTransactions')).toEqual({
      requestId: 1234n,
      transactions: [legacy, txToWire(typed)],
    });
  });

  it('keeps reading while a response waits to be written', async () => {
    h = await startPeer();
    const req = (requestId: bigint) =>
      send(h?.remote as Harness['remote'], 69, 'GetBlockHeaders', {
        requestId,
        origin: { number: 1n },
        amount: 1n,
        skip: 0n,
        reverse: false,
      });
    // Two requests written back to back, without reading the first answer in between.
    await req(1n);
    await req(2n);
    expect((await expectEth(h.remote, 69, 'BlockHeaders')).requestId).toBe(1n);
    expect((await expectEth(h.remote, 69, 'BlockHeaders')).requestId).toBe(2n);
  });
});

describe('transactions', () => {
  it('adds broadcast transactions to the pool and marks them known', async () => {
    h = await startPeer();
    const txs = [legacyTx(1), typedTx(2, 2)];
    const seen: Uint8Array[][] = [];
    h.peer.events.on('txs:received', ({ txs }) => seen.push([...txs]));
    await send(h.remote, 69, 'Transactions', txs.map(txToWire));
    await waitFor(() => seen.length > 0, {
      what: 'the transactions arrive',
      on: { emitters: [h.peer.events], events: ['txs:received'] },
    });
    expect(seen).toEqual([txs]);
    for (const tx of txs) {
      expect(h.backend.txPool.has(keccak256(tx))).toBe(true);
      expect(h.peer.knowsTransaction(keccak256(tx))).toBe(true);
    }
  });

  it('keeps the peer when a txs:received listener throws', async () => {
    h = await startPeer();
    let calls = 0;
    h.peer.events.on('txs:received', () => {
      calls++;
      throw new Error('listener bug');
    });
    await send(h.remote, 69, 'Transactions', [txToWire(legacyTx(5))]);
    await send(h.remote, 69, 'Transactions', [txToWire(legacyTx(6))]);
    await waitFor(() => calls === 2, {
      what: 'both broadcasts are handled',
      on: { emitters: [h.peer.events], events: ['txs:received'] },
    });
    expect(h.backend.txPool.has(keccak256(legacyTx(6)))).toBe(true);
  });

  it('ends the peer with SubprotocolError for a broadcast blob transaction', async () => {
    h = await startPeer();
    await send(h.remote, 69, 'Transactions', [txToWire(typedTx(3, 1))]);
    const err = await endedWith(h, DiscReason.SubprotocolError);
    expect(err.message).toMatch(/blob/);
  });

  it('fetches announced transactions the pool lacks, in one request', async () => {
    h = await startPeer();
    const txs = Array.from({ length: 50 }, (_, i) => legacyTx(i));
    const known = txs[0] as Uint8Array;
    h.backend.txPool.add([known]);
    const announced: number[] = [];
    h.peer.events.on('txs:announced', ({ hashes }) => announced.push(hashes.length));
    await send(h.remote, 69, 'NewPooledTransactionHashes', {
      types: new Uint8Array(50),
      sizes: txs.map((tx) => tx.length),
      hashes: txs.map((tx) => keccak256(tx)),
    });
    const req = await expectEth(h.remote, 69, 'GetPooledTransactions');
    expect(announced).toEqual([50]);
    expect(req.hashes).toEqual(txs.slice(1).map((tx) => keccak256(tx)));
    await send(h.remote, 69, 'PooledTransactions', {
      requestId: req.requestId,
      transactions: txs.slice(1),
    });
    const pool = h.backend.txPool;
    await waitFor(() => pool.size === 50, {
      what: 'the pool holds the fetched transactions',
      on: { emitters: [pool.events], events: ['txs:added'] },
    });
    expect(pool.size).toBe(50);
  });

  it('drops a peer whose delivered transaction differs from its announcement', async () => {
    h = await startPeer();
    const tx = typedTx(2, 1);
    await send(h.remote, 69, 'NewPooledTransactionHashes', {
      types: Uint8Array.of(2),
      sizes: [tx.length + 10],
      hashes: [keccak256(tx)],
    });
    const req = await expectEth(h.remote, 69, 'GetPooledTransactions');
    await send(h.remote, 69, 'PooledTransactions', {
      requestId: req.requestId,
      transactions: [txToWire(tx)],
    });
    expect(await h.ended).toEqual({ ok: true });
    expect(h.fake.disconnects).toEqual([DiscReason.SubprotocolError]);
    expect(h.backend.txPool.size).toBe(0);
  });

  it('announces the pool to a new peer when asked to', async () => {
    const tx = legacyTx(5);
    const txPool = new MemoryTxPool();
    txPool.add([tx]);
    const { chain } = await memoryChain();
    h = await startPeer({ backend: { chain, txPool }, syncTransactions: true });
    const ann = await expectEth(h.remote, 69, 'NewPooledTransactionHashes');
    expect(ann).toEqual({ types: Uint8Array.of(0), sizes: [tx.length], hashes: [keccak256(tx)] });
  });
});

describe('block ranges', () => {
  it('eth/69: takes a BlockRangeUpdate, including one beyond our head', async () => {
    h = await startPeer({ version: 69 });
    const updates: unknown[] = [];
    h.peer.events.on('block-range:updated', ({ range }) => updates.push(range));
    const range = { earliest: 60n, latest: 100n, latestHash: hashOf(100) };
    await send(h.remote, 69, 'BlockRangeUpdate', range);
    await waitFor(() => updates.length > 0, {
      what: 'the range update arrives',
      on: { emitters: [h.peer.events], events: ['block-range:updated'] },
    });
    expect(h.peer.blockRange).toEqual(range);
    expect(updates).toEqual([range]);
    expect(h.peer.knowsBlock(range.latestHash)).toBe(true);
  });

  it.each([
    ['earliest above latest', { earliest: 10n, latest: 8n, latestHash: hashOf(8) }],
    ['a zero hash', { earliest: 1n, latest: 8n, latestHash: new Uint8Array(32) }],
  ])('eth/69: ends the peer with SubprotocolError for %s', async (_, range) => {
    h = await startPeer({ version: 69 });
    await send(h.remote, 69, 'BlockRangeUpdate', range);
    const err = await endedWith(h, DiscReason.SubprotocolError);
    expect(err.message).toMatch(/BlockRangeUpdate/);
  });

  it('eth/68: NewBlockHashes move the announced head', async () => {
    h = await startPeer({ version: 68 });
    await send(h.remote, 68, 'NewBlockHashes', [
      { hash: hashOf(20), number: 20n },
      { hash: hashOf(21), number: 21n },
    ]);
    const peer = h.peer;
    await waitFor(() => peer.head?.number === 21n, {
      what: 'the announcement arrives',
      on: { emitters: [peer.events], events: ['blocks:announced'] },
    });
    expect(h.peer.head?.number).toBe(21n);
    expect(h.peer.head?.hash).toEqual(hashOf(21));
    expect(h.peer.knowsBlock(hashOf(20))).toBe(true);
  });
});

describe('timers', () => {
  it('leaves no timer behind after a request timed out and the run ended', async () => {
    h = await startPeer();
    const req = h.peer.requestBodies([hashOf(1)]).catch((err: unknown) => err);
    await expectMsg(h.remote, 0x05);
    h.clock.advance(REQUEST_TIMEOUT_MS);
    expect(await req).toMatchObject({ code: 'TIMEOUT' });
    h.peer.disconnect(DiscReason.Requested);
    await h.ended;
    expect(h.clock.pending).toBe(0);
  });
});
