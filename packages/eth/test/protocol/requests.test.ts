import { seededRandom } from '@ethp2p/base';
import { keccak256 } from '@ethp2p/crypto';
import { DiscReason, PeerError } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../src/peer/constants.ts';
import { RequestError } from '../../src/peer/errors.ts';
import { txToWire } from '../../src/peer/tx-wire.ts';
import { expectEth, hashOf, legacyTx, send, typedTx } from '../peer/fixtures.ts';
import { type Harness, startPeer } from './harness.ts';

let h: Harness | undefined;

afterEach(() => {
  h?.remote.close();
  h = undefined;
});

function u64(random: ReturnType<typeof seededRandom>): bigint {
  const b = random.bytes(8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected a rejection'),
    (err: unknown) => err,
  );
}

async function endedWithProtocolError(harness: Harness, text: RegExp): Promise<void> {
  const end = await harness.ended;
  expect(end.ok).toBe(false);
  const err = (end as { error: unknown }).error as PeerError;
  expect(err).toBeInstanceOf(PeerError);
  expect(err.reason).toBe(DiscReason.ProtocolError);
  expect(err.message).toMatch(text);
  expect(err.cause).toBeInstanceOf(RequestError);
}

describe('requests', () => {
  it('asks for headers by number with a random request id and resolves with the answer', async () => {
    h = await startPeer({ random: seededRandom(42) });
    const res = h.peer.requestHeadersByNumber(3n, 2);
    const req = await expectEth(h.remote, 69, 'GetBlockHeaders');
    expect(req).toEqual({
      requestId: u64(seededRandom(42)),
      origin: { number: 3n },
      amount: 2n,
      skip: 0n,
      reverse: false,
    });
    const headers = [h.gen.headers[3], h.gen.headers[4]] as Uint8Array[];
    await send(h.remote, 69, 'BlockHeaders', { requestId: req.requestId, headers });
    await expect(res).resolves.toEqual(headers);
    expect(h.peer.pendingRequests).toBe(0);
  });

  it('asks for headers by hash with skip and reverse', async () => {
    h = await startPeer();
    const origin = h.gen.hashes[9] as Uint8Array;
    const res = h.peer.requestHeadersByHash(origin, 3, { skip: 2, reverse: true });
    const req = await expectEth(h.remote, 69, 'GetBlockHeaders');
    expect(req).toMatchObject({ origin: { hash: origin }, amount: 3n, skip: 2n, reverse: true });
    await send(h.remote, 69, 'BlockHeaders', { requestId: req.requestId, headers: [] });
    await expect(res).resolves.toEqual([]);
  });

  it('asks for bodies and receipts', async () => {
    h = await startPeer();
    const hashes = [h.gen.hashes[1], h.gen.hashes[2]] as Uint8Array[];
    const bodies = h.peer.requestBodies(hashes);
    const breq = await expectEth(h.remote, 69, 'GetBlockBodies');
    expect(breq.hashes).toEqual(hashes);
    await send(h.remote, 69, 'BlockBodies', {
      requestId: breq.requestId,
      bodies: [h.gen.bodies[1] as Uint8Array],
    });
    await expect(bodies).resolves.toEqual([h.gen.bodies[1]]);

    const receipts = h.peer.requestReceipts(hashes);
    const rreq = await expectEth(h.remote, 69, 'GetReceipts');
    await send(h.remote, 69, 'Receipts', { requestId: rreq.requestId, receipts: [[], []] });
    await expect(receipts).resolves.toEqual([[], []]);
  });

  it('asks for pooled transactions and returns them canonical and known', async () => {
    h = await startPeer();
    const txs = [legacyTx(1), typedTx(2, 2)];
    const hashes = txs.map((tx) => keccak256(tx));
    const res = h.peer.requestPooledTransactions(hashes);
    const req = await expectEth(h.remote, 69, 'GetPooledTransactions');
    await send(h.remote, 69, 'PooledTransactions', {
      requestId: req.requestId,
      transactions: txs.map(txToWire),
    });
    await expect(res).resolves.toEqual(txs);
    expect(hashes.every((hash) => h?.peer.knowsTransaction(hash))).toBe(true);
  });

  it('matches answers to requests by id, in any order', async () => {
    h = await startPeer();
    const a = h.peer.requestBodies([hashOf(1)]);
    const b = h.peer.requestBodies([hashOf(2)]);
    const ra = await expectEth(h.remote, 69, 'GetBlockBodies');
    const rb = await expectEth(h.remote, 69, 'GetBlockBodies');
    expect(ra.requestId).not.toBe(rb.requestId);
    const body = (n: number) => h?.gen.bodies[n] as Uint8Array;
    await send(h.remote, 69, 'BlockBodies', { requestId: rb.requestId, bodies: [body(2)] });
    await send(h.remote, 69, 'BlockBodies', { requestId: ra.requestId, bodies: [body(1)] });
    await expect(a).resolves.toEqual([body(1)]);
    await expect(b).resolves.toEqual([body(2)]);
  });

  it('rejects bad arguments without sending anything', async () => {
    h = await startPeer();
    await expect(h.peer.requestHeadersByNumber(1n, 0)).rejects.toThrow(RangeError);
    await expect(h.peer.requestBodies([])).rejects.toThrow(RangeError);
    await expect(h.peer.requestBodies([new Uint8Array(31)])).rejects.toThrow(RangeError);
    expect(h.peer.pendingRequests).toBe(0);
  });
});

describe('response violations end the peer', () => {
  it('an unknown request id', async () => {
    h = await startPeer();
    await send(h.remote, 69, 'BlockHeaders', { requestId: 77n, headers: [] });
    await endedWithProtocolError(h, /unknown request id/);
  });

  it('the wrong response code', async () => {
    h = await startPeer();
    const res = h.peer.requestHeadersByNumber(1n, 1);
    const req = await expectEth(h.remote, 69, 'GetBlockHeaders');
    await send(h.remote, 69, 'BlockBodies', { requestId: req.requestId, bodies: [] });
    expect(await rejection(res)).toMatchObject({ code: 'WRONG_RESPONSE' });
    await endedWithProtocolError(h, /BlockBodies for a BlockHeaders request/);
  });

  it('more items than requested', async () => {
    h = await startPeer();
    const res = h.peer.requestHeadersByNumber(1n, 1);
    const req = await expectEth(h.remote, 69, 'GetBlockHeaders');
    const headers = [h.gen.headers[1], h.gen.headers[2]] as Uint8Array[];
    await send(h.remote, 69, 'BlockHeaders', { requestId: req.requestId, headers });
    expect(await rejection(res)).toMatchObject({ code: 'TOO_MANY_ITEMS' });
    await endedWithProtocolError(h, /2 items for a request of 1/);
    expect(h.peerSet.len).toBe(0);
  });
});

describe('request lifetime', () => {
  it('times out without dropping the peer, and ignores the late answer', async () => {
    h = await startPeer();
    const res = h.peer.requestBodies([hashOf(1)]);
    const req = await expectEth(h.remote, 69, 'GetBlockBodies');
    h.clock.advance(REQUEST_TIMEOUT_MS);
    expect(await rejection(res)).toMatchObject({ code: 'TIMEOUT' });
    await send(h.remote, 69, 'BlockBodies', { requestId: req.requestId, bodies: [] });
    // Still up: a new request gets its answer.
    const next = h.peer.requestBodies([hashOf(2)]);
    const req2 = await expectEth(h.remote, 69, 'GetBlockBodies');
    await send(h.remote, 69, 'BlockBodies', { requestId: req2.requestId, bodies: [] });
    await expect(next).resolves.toEqual([]);
    expect(h.fake.disconnects).toEqual([]);
  });

  it('honours a per-request timeout', async () => {
    h = await startPeer();
    const res = h.peer.requestBodies([hashOf(1)], { timeoutMs: 100 });
    await expectEth(h.remote, 69, 'GetBlockBodies');
    h.clock.advance(100);
    expect(await rejection(res)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('cancels with an AbortSignal', async () => {
    h = await startPeer();
    const controller = new AbortController();
    const res = h.peer.requestReceipts([hashOf(1)], { signal: controller.signal });
    const req = await expectEth(h.remote, 69, 'GetReceipts');
    const reason = new Error('not needed');
    controller.abort(reason);
    expect(await rejection(res)).toBe(reason);
    expect(h.peer.pendingRequests).toBe(0);
    await send(h.remote, 69, 'Receipts', { requestId: req.requestId, receipts: [] });
    // Messages are handled in order: once a later request is answered, the late response was read.
    const later = { origin: { number: 0n }, amount: 1n, skip: 0n, reverse: false };
    await send(h.remote, 69, 'GetBlockHeaders', { requestId: 1n, ...later });
    await expectEth(h.remote, 69, 'BlockHeaders');
    expect(h.fake.disconnects).toEqual([]);
  });

  it('refuses an already aborted signal', async () => {
    h = await startPeer();
    const reason = new Error('too late');
    expect(
      await rejection(h.peer.requestBodies([hashOf(1)], { signal: AbortSignal.abort(reason) })),
    ).toBe(reason);
  });

  it('bounds the requests in flight', async () => {
    h = await startPeer({ maxPendingRequests: 2 });
    const a = h.peer.requestBodies([hashOf(1)]);
    const b = h.peer.requestBodies([hashOf(2)]);
    expect(await rejection(h.peer.requestBodies([hashOf(3)]))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    h.peer.disconnect(DiscReason.Requested);
    expect(await rejection(a)).toMatchObject({ code: 'CLOSED' });
    expect(await rejection(b)).toMatchObject({ code: 'CLOSED' });
  });

  it('rejects pending and new requests once the peer has left', async () => {
    h = await startPeer();
    const res = h.peer.requestBodies([hashOf(1)]);
    await expectEth(h.remote, 69, 'GetBlockBodies');
    h.peer.disconnect(DiscReason.Requested);
    expect(await rejection(res)).toMatchObject({ code: 'CLOSED' });
    await h.ended;
    expect(await rejection(h.peer.requestBodies([hashOf(1)]))).toMatchObject({ code: 'CLOSED' });
    expect(h.clock.pending).toBe(0);
  });
});

describe('request outcomes', () => {
  it('reports a response as useful and a missing one as a timeout, for the peer', async () => {
    const reports: { change: string; id: Uint8Array | undefined }[] = [];
    h = await startPeer({
      reputation: { report: (change, t) => reports.push({ change, id: t.id }) },
    });
    const answered = h.peer.requestBodies([hashOf(1)]);
    const req = await expectEth(h.remote, 69, 'GetBlockBodies');
    await send(h.remote, 69, 'BlockBodies', { requestId: req.requestId, bodies: [] });
    await answered;
    const missed = h.peer.requestBodies([hashOf(2)], { timeoutMs: 100 });
    await expectEth(h.remote, 69, 'GetBlockBodies');
    h.clock.advance(100);
    expect(await rejection(missed)).toMatchObject({ code: 'TIMEOUT' });
    await Promise.resolve();
    expect(reports).toEqual([
      { change: 'usefulResponse', id: h.peer.id },
      { change: 'timeout', id: h.peer.id },
    ]);
  });
});
