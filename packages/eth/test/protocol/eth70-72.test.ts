/**
 * eth/70, eth/71 and eth/72 through the protocol handler, with the test playing the remote: the
 * Status, paged receipts both ways (with the EIP-7975 checks of an incomplete list), block access
 * lists and cells served from the backend seams and requested by EthPeer, cell-mask
 * announcements, and the codes each version does not have.
 */
import { RLP } from '@ethereumjs/rlp';
import { rejectedError } from '@ethp2p/base/testing';
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import { DiscReason } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainReader } from '../../src/chain/types.ts';
import { cellMask } from '../../src/messages/cells.ts';
import { RequestError } from '../../src/peer/errors.ts';
import type { EthPeerEvents } from '../../src/peer/eth-peer.ts';
import type { ReceiptBounds } from '../../src/peer/partial-receipts.ts';
import { txToWire } from '../../src/peer/tx-wire.ts';
import { blobTx } from '../helpers/blob-tx.ts';
import { expectEth, hashOf, legacyTx, send, typedTx } from '../peer/fixtures.ts';
import { endedWith, type Harness, startPeer } from './harness.ts';

let h: Harness | undefined;

afterEach(() => {
  h?.remote.close();
  h = undefined;
});

/** An eth/69 receipt with `data` bytes of log data. */
function receipt(n: number, data = 0): Uint8Array {
  const logs = data === 0 ? [] : [[new Uint8Array(20), [], new Uint8Array(data)]];
  return RLP.encode([2, Uint8Array.of(1), BigInt(21_000 * (n + 1)), logs]);
}

const bounds = (txs: number, gasLimit = 30_000_000n, txGas = 21_000n): ReceiptBounds => ({
  gasLimit,
  txGasLimits: Array.from({ length: txs }, () => txGas),
});

describe('Status and message codes', () => {
  it.each([70, 71, 72] as const)(
    'eth/%i: the eth/69 Status, then the peer is registered',
    async (version) => {
      h = await startPeer({ version });
      expect(h.peer.version).toBe(version);
      expect(h.peer.blockRange?.latest).toBe(16n);
      expect('latestHash' in h.remoteStatus).toBe(true);
    },
  );

  it.each([
    [70, '0x12', 0x12],
    [71, '0x14', 0x14],
    [72, '0x16', 0x16],
  ] as const)(
    'eth/%i: code %s is unknown and ends the peer with ProtocolError',
    async (version, _, code) => {
      h = await startPeer({ version });
      await h.remote.writeMsg(code, RLP.encode([1n, []]));
      const err = await endedWith(h, DiscReason.ProtocolError);
      expect(err.message).toMatch(/unknown message code/);
    },
  );

  it('eth/70: an eth/69 GetReceipts (no index) is malformed: ProtocolError', async () => {
    h = await startPeer({ version: 70 });
    await h.remote.writeMsg(0x0f, RLP.encode([1n, [new Uint8Array(32)]]));
    const err = await endedWith(h, DiscReason.ProtocolError);
    expect(err.message).toMatch(/GetReceipts/);
  });
});

describe('eth/70 receipts', () => {
  it('serves GetReceipts in the eth/70 form, from firstBlockReceiptIndex on', async () => {
    h = await startPeer({ version: 70 });
    // Blocks 2 and 3 have no transactions: their (empty) receipts are known.
    const hashes = [h.gen.hashes[2], h.gen.hashes[3]] as Uint8Array[];
    await send(h.remote, 70, 'GetReceipts', { requestId: 9n, firstBlockReceiptIndex: 0n, hashes });
    expect(await expectEth(h.remote, 70, 'Receipts')).toEqual({
      requestId: 9n,
      lastBlockIncomplete: false,
      receipts: [[], []],
    });
  });

  it('EthPeer asks again from where an incomplete list stopped, and joins the parts', async () => {
    h = await startPeer({ version: 70 });
    const a = h.gen.hashes[5] as Uint8Array;
    const b = h.gen.hashes[6] as Uint8Array;
    const res = h.peer.requestReceipts([a, b], { bounds: [bounds(3), bounds(1)] });
    const first = await expectEth(h.remote, 70, 'GetReceipts');
    expect(first).toMatchObject({ firstBlockReceiptIndex: 0n, hashes: [a, b] });
    await send(h.remote, 70, 'Receipts', {
      requestId: first.requestId,
      lastBlockIncomplete: true,
      receipts: [[receipt(0), receipt(1)]],
    });
    const second = await expectEth(h.remote, 70, 'GetReceipts');
    expect(second).toMatchObject({ firstBlockReceiptIndex: 2n, hashes: [a, b] });
    await send(h.remote, 70, 'Receipts', {
      requestId: second.requestId,
      lastBlockIncomplete: false,
      receipts: [[receipt(2)], [receipt(0)]],
    });
    await expect(res).resolves.toEqual([[receipt(0), receipt(1), receipt(2)], [receipt(0)]]);
    expect(h.peer.pendingRequests).toBe(0);
  });

  it('a complete response that stops early resolves with the blocks served', async () => {
    h = await startPeer({ version: 71 });
    const a = h.gen.hashes[5] as Uint8Array;
    const b = h.gen.hashes[6] as Uint8Array;
    const res = h.peer.requestReceipts([a, b]);
    const req = await expectEth(h.remote, 71, 'GetReceipts');
    await send(h.remote, 71, 'Receipts', {
      requestId: req.requestId,
      lastBlockIncomplete: false,
      receipts: [[receipt(0)]],
    });
    await expect(res).resolves.toEqual([[receipt(0)]]);
  });

  it.each([
    [
      'more receipts than the block has transactions',
      bounds(1),
      [receipt(0), receipt(1)],
      /2 receipts for a block of 1/,
    ],
    [
      'a receipt larger than its gas limit allows',
      bounds(2, 30_000_000n, 200n),
      [receipt(0, 100)],
      /gas limit of 200/,
    ],
    [
      'receipts larger than the block gas limit allows',
      bounds(3, 100n),
      [receipt(0), receipt(1)],
      /block gas limit of 100/,
    ],
  ] as const)(
    'an incomplete list with %s ends the peer with SubprotocolError',
    async (_, b, list, text) => {
      h = await startPeer({ version: 70 });
      const res = h.peer.requestReceipts([h.gen.hashes[5] as Uint8Array], { bounds: [b] });
      const req = await expectEth(h.remote, 70, 'GetReceipts');
      await send(h.remote, 70, 'Receipts', {
        requestId: req.requestId,
        lastBlockIncomplete: true,
        receipts: [[...list]],
      });
      const err = await endedWith(h, DiscReason.SubprotocolError);
      expect(err.message).toMatch(text);
      const rejected = await rejectedError(res, RequestError);
      expect(rejected).toBeInstanceOf(RequestError);
      expect((rejected as RequestError).code).toBe('INVALID_RESPONSE');
    },
  );

  it('without bounds given, checks an incomplete list against the block in the local chain', async () => {
    h = await startPeer({ version: 70 });
    const n = h.gen.txs.findIndex((txs) => txs.length > 0);
    const count = (h.gen.txs[n] as Uint8Array[]).length;
    const res = h.peer.requestReceipts([h.gen.hashes[n] as Uint8Array]);
    const req = await expectEth(h.remote, 70, 'GetReceipts');
    await send(h.remote, 70, 'Receipts', {
      requestId: req.requestId,
      lastBlockIncomplete: true,
      receipts: [Array.from({ length: count + 1 }, (_, i) => receipt(i))],
    });
    const err = await endedWith(h, DiscReason.SubprotocolError);
    expect(err.message).toMatch(`${count + 1} receipts for a block of ${count} transactions`);
    await rejectedError(res, RequestError, 'INVALID_RESPONSE');
  });

  it('the check spans the parts: receipts before count against the bounds', async () => {
    h = await startPeer({ version: 70 });
    const res = h.peer.requestReceipts([h.gen.hashes[5] as Uint8Array], { bounds: [bounds(2)] });
    const first = await expectEth(h.remote, 70, 'GetReceipts');
    await send(h.remote, 70, 'Receipts', {
      requestId: first.requestId,
      lastBlockIncomplete: true,
      receipts: [[receipt(0)]],
    });
    const second = await expectEth(h.remote, 70, 'GetReceipts');
    await send(h.remote, 70, 'Receipts', {
      requestId: second.requestId,
      lastBlockIncomplete: true,
      receipts: [[receipt(1), receipt(2)]],
    });
    const err = await endedWith(h, DiscReason.SubprotocolError);
    expect(err.message).toMatch(/3 receipts for a block of 2/);
    await rejectedError(res, RequestError);
  });

  it('an empty response marked incomplete ends the peer with SubprotocolError', async () => {
    h = await startPeer({ version: 70 });
    const res = h.peer.requestReceipts([h.gen.hashes[5] as Uint8Array]);
    const req = await expectEth(h.remote, 70, 'GetReceipts');
    await send(h.remote, 70, 'Receipts', {
      requestId: req.requestId,
      lastBlockIncomplete: true,
      receipts: [],
    });
    await endedWith(h, DiscReason.SubprotocolError);
    await rejectedError(res, RequestError);
  });

  it('gives up with INCOMPLETE after 16 further requests, without dropping the peer', async () => {
    h = await startPeer({ version: 70 });
    // A block the local chain does not hold, asked for without bounds: only the count limits it.
    const res = h.peer.requestReceipts([keccak256(Uint8Array.of(1))]);
    for (let i = 0; i <= 16; i++) {
      const req = await expectEth(h.remote, 70, 'GetReceipts');
      expect(req).toMatchObject({ firstBlockReceiptIndex: BigInt(i) });
      await send(h.remote, 70, 'Receipts', {
        requestId: req.requestId,
        lastBlockIncomplete: true,
        receipts: [[receipt(i)]],
      });
    }
    await rejectedError(res, RequestError, 'INCOMPLETE');
    expect(h.fake.disconnects).toEqual([]);
  });
});

describe('eth/71 block access lists', () => {
  it('serves the backend’s access lists, 0x80 for a block without one', async () => {
    h = await startPeer({ version: 71 });
    const bal = RLP.encode([[new Uint8Array(20).fill(7), [], [], [[1, 1]], [], []]]);
    const withBal = bytesToHex(h.gen.hashes[3] as Uint8Array);
    (h.backend.chain as ChainReader).blockAccessListByHash = (hash) =>
      bytesToHex(hash) === withBal ? bal : undefined;
    const hashes = [h.gen.hashes[2], h.gen.hashes[3]] as Uint8Array[];
    await send(h.remote, 71, 'GetBlockAccessLists', { requestId: 4n, hashes });
    expect(await expectEth(h.remote, 71, 'BlockAccessLists')).toEqual({
      requestId: 4n,
      accessLists: [Uint8Array.of(0x80), bal],
    });
  });

  it('EthPeer requests them on eth/71 and refuses to on eth/70', async () => {
    h = await startPeer({ version: 71 });
    const hashes = [h.gen.hashes[1]] as Uint8Array[];
    const res = h.peer.requestBlockAccessLists(hashes);
    const req = await expectEth(h.remote, 71, 'GetBlockAccessLists');
    expect(req.hashes).toEqual(hashes);
    await send(h.remote, 71, 'BlockAccessLists', {
      requestId: req.requestId,
      accessLists: [RLP.encode([])],
    });
    await expect(res).resolves.toEqual([RLP.encode([])]);
    h.remote.close();
    h = await startPeer({ version: 70 });
    await expect(h.peer.requestBlockAccessLists(hashes)).rejects.toThrow(RangeError);
  });

  it('more entries than asked for end the peer with ProtocolError', async () => {
    h = await startPeer({ version: 71 });
    const res = h.peer.requestBlockAccessLists([h.gen.hashes[1] as Uint8Array]);
    const req = await expectEth(h.remote, 71, 'GetBlockAccessLists');
    await send(h.remote, 71, 'BlockAccessLists', {
      requestId: req.requestId,
      accessLists: [Uint8Array.of(0x80), Uint8Array.of(0x80)],
    });
    await endedWith(h, DiscReason.ProtocolError);
    await rejectedError(res, RequestError);
  });
});

describe('eth/72 cells', () => {
  const MASK = cellMask([2, 5]);
  const cell = (i: number): Uint8Array => new Uint8Array(2048).fill(i);

  /** Gives the harness pool one blob transaction without blobs, and its cells 2 and 5 (two blobs). */
  function withCells(harness: Harness): Uint8Array {
    const tx = blobTx({ blobs: 2 });
    expect(harness.backend.txPool.add([tx.bare])).toEqual([true]);
    expect(
      harness.backend.txPool.addCells(tx.hash, MASK, [cell(2), cell(2), cell(5), cell(5)]),
    ).toBe(true);
    return tx.hash;
  }

  it('serves GetCells from the pool’s cells', async () => {
    h = await startPeer({ version: 72 });
    const hash = withCells(h);
    await send(h.remote, 72, 'GetCells', { requestId: 3n, hashes: [hash], cellMask: MASK });
    expect(await expectEth(h.remote, 72, 'Cells')).toEqual({
      requestId: 3n,
      hashes: [hash],
      cells: [[cell(2), cell(2), cell(5), cell(5)]],
      cellMask: MASK,
    });
    // A cell the pool does not hold: the transaction is left out.
    const other = cellMask([2, 6]);
    await send(h.remote, 72, 'GetCells', { requestId: 4n, hashes: [hash], cellMask: other });
    expect(await expectEth(h.remote, 72, 'Cells')).toEqual({
      requestId: 4n,
      hashes: [],
      cells: [],
      cellMask: other,
    });
  });

  it('announces pooled blob transactions with the pool’s cell mask and their size without blobs', async () => {
    h = await startPeer({ version: 72 });
    const hash = withCells(h);
    const full = blobTx({ nonce: 1 });
    h.backend.txPool.add([full.full, legacyTx(9)]);
    h.peer.asyncAnnounceTransactions([hash]);
    const ann = await expectEth(h.remote, 72, 'NewPooledTransactionHashes');
    expect(ann).toMatchObject({ types: Uint8Array.of(3), hashes: [hash], cellMask: MASK });
    expect(ann.sizes).toEqual([blobTx({ blobs: 2 }).bare.length]);
    // With its blobs the pool holds every cell; a mask change starts a new announcement.
    const legacyHash = keccak256(legacyTx(9));
    h.peer.asyncAnnounceTransactions([full.hash, legacyHash]);
    expect(await expectEth(h.remote, 72, 'NewPooledTransactionHashes')).toEqual({
      types: Uint8Array.of(3, 0),
      sizes: [full.bare.length, legacyTx(9).length],
      hashes: [full.hash, legacyHash],
      cellMask: new Uint8Array(16).fill(0xff),
    });
  });

  it('a blob transaction without cells is not announced; without blobs nor announced below eth/72', async () => {
    for (const version of [72, 71] as const) {
      h = await startPeer({ version });
      const bare = blobTx({ blobs: 1 });
      h.backend.txPool.add([bare.bare, legacyTx(1)]);
      h.peer.asyncAnnounceTransactions([bare.hash, keccak256(legacyTx(1))]);
      const ann = await expectEth(h.remote, version, 'NewPooledTransactionHashes');
      expect(ann.hashes).toEqual([keccak256(legacyTx(1))]);
      if (version === 72)
        expect((ann as { cellMask: Uint8Array }).cellMask).toEqual(new Uint8Array(16));
      h.remote.close();
    }
  });

  it('serves PooledTransactions per version: eth/72 without blobs, eth/71 with them', async () => {
    const full = blobTx({ blobs: 2 });
    const bare = blobTx({ nonce: 1 });
    for (const [version, expected] of [
      [72, [RLP.encode(full.bare), RLP.encode(bare.bare)]],
      [71, [RLP.encode(full.full)]],
    ] as const) {
      h = await startPeer({ version });
      h.backend.txPool.add([full.full, bare.bare]);
      await send(h.remote, version, 'GetPooledTransactions', {
        requestId: 5n,
        hashes: [full.hash, bare.hash],
      });
      expect(await expectEth(h.remote, version, 'PooledTransactions')).toEqual({
        requestId: 5n,
        transactions: expected,
      });
      h.remote.close();
    }
  });

  it.each([
    [72, () => blobTx().full, /blob payload on eth\/72/],
    [71, () => blobTx().bare, /0 blobs for 1 versioned hashes/],
    [72, () => typedTx(3, 1), /without its sidecar/],
    [72, () => legacyTx(1), /a transaction twice/],
  ] as const)(
    'eth/%i: a PooledTransactions response that breaks the blob rules ends the peer with SubprotocolError',
    async (version, make, message) => {
      h = await startPeer({ version });
      const tx = make();
      const res = h.peer.requestPooledTransactions([new Uint8Array(32), hashOf(1)]);
      const req = await expectEth(h.remote, version, 'GetPooledTransactions');
      await send(h.remote, version, 'PooledTransactions', {
        requestId: req.requestId,
        transactions: [txToWire(tx), txToWire(tx)].slice(0, tx[0] === 3 ? 1 : 2),
      });
      const err = await endedWith(h, DiscReason.SubprotocolError);
      expect(err.message).toMatch(message);
      await rejectedError(res, RequestError, 'INVALID_RESPONSE');
    },
  );

  it('EthPeer takes blob transactions in the form of its version', async () => {
    for (const [version, form] of [
      [72, 'bare'],
      [71, 'full'],
    ] as const) {
      h = await startPeer({ version });
      const tx = blobTx();
      const res = h.peer.requestPooledTransactions([tx.hash]);
      const req = await expectEth(h.remote, version, 'GetPooledTransactions');
      await send(h.remote, version, 'PooledTransactions', {
        requestId: req.requestId,
        transactions: [txToWire(tx[form])],
      });
      expect(await res).toEqual([tx[form]]);
      h.remote.close();
    }
  });

  it('passes the cell mask of an announcement on in txs:announced', async () => {
    h = await startPeer({ version: 72, fetchAnnouncedTransactions: false });
    const got = new Promise<Parameters<EthPeerEvents['txs:announced']>[0]>((resolve) =>
      h?.peer.events.once('txs:announced', resolve),
    );
    const hash = new Uint8Array(32).fill(3);
    await send(h.remote, 72, 'NewPooledTransactionHashes', {
      types: Uint8Array.of(3),
      sizes: [1000],
      hashes: [hash],
      cellMask: MASK,
    });
    expect((await got).cellMask).toEqual(MASK);
  });

  it('EthPeer requests cells; a mask beyond the request ends the peer with SubprotocolError', async () => {
    h = await startPeer({ version: 72 });
    const hash = new Uint8Array(32).fill(4);
    const ok = h.peer.requestCells([hash], MASK);
    const req = await expectEth(h.remote, 72, 'GetCells');
    expect(req).toMatchObject({ hashes: [hash], cellMask: MASK });
    const answer = { hashes: [hash], cells: [[cell(5)]], cellMask: cellMask([5]) };
    await send(h.remote, 72, 'Cells', { requestId: req.requestId, ...answer });
    await expect(ok).resolves.toEqual(answer);

    const bad = h.peer.requestCells([hash], MASK);
    const req2 = await expectEth(h.remote, 72, 'GetCells');
    await send(h.remote, 72, 'Cells', {
      requestId: req2.requestId,
      hashes: [hash],
      cells: [[cell(6)]],
      cellMask: cellMask([6]),
    });
    const err = await endedWith(h, DiscReason.SubprotocolError);
    expect(err.message).toMatch(/mask beyond the request/);
    await rejectedError(bad, RequestError, 'INVALID_RESPONSE');
  });

  it('cells of a transaction not asked for end the peer with SubprotocolError', async () => {
    h = await startPeer({ version: 72 });
    const res = h.peer.requestCells([new Uint8Array(32).fill(4)], MASK);
    const req = await expectEth(h.remote, 72, 'GetCells');
    await send(h.remote, 72, 'Cells', {
      requestId: req.requestId,
      hashes: [new Uint8Array(32).fill(9)],
      cells: [[cell(2), cell(5)]],
      cellMask: MASK,
    });
    await endedWith(h, DiscReason.SubprotocolError);
    await rejectedError(res, RequestError);
  });

  it('requestCells refuses a peer below eth/72 and a mask that is not 16 bytes', async () => {
    h = await startPeer({ version: 71 });
    await expect(h.peer.requestCells([new Uint8Array(32)], MASK)).rejects.toThrow(RangeError);
    h.remote.close();
    h = await startPeer({ version: 72 });
    await expect(h.peer.requestCells([new Uint8Array(32)], new Uint8Array(8))).rejects.toThrow(
      RangeError,
    );
  });
});
