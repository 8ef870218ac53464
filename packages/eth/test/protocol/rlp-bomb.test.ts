/**
 * Issue 15, findings 1 and 2, played over real RLPx on loopback (two Servers, snappy on): a peer
 * sends one eth message that is a list of a million one-byte items, or a request of 300k hashes.
 * The node must refuse the bomb at the list's limit (the error names the bounded index where
 * reading stopped), drop the peer with geth's reason, serve a huge request from its first
 * hashes only (the elements past them are garbage that a full decode would refuse), and let
 * another peer complete its handshake meanwhile.
 */

import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { waitFor } from '@ethp2p/base/testing';
import type { MemoryChain } from '@ethp2p/chain';
import { MemoryTxPool } from '@ethp2p/chain';
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscReason, type PeerRemovedEvent, Server } from '@ethp2p/server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChainReader } from '../../src/chain/types.ts';
import { localStatus } from '../../src/handshake.ts';
import type { Status69 } from '../../src/messages/status.ts';
import { ETH69, encodeMessage } from '../../src/messages/versions.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import { memoryChain } from '../peer/fixtures.ts';
import { CODE, SuiteClient } from '../suite/suite-client.ts';
import { connectSuite, type SuiteConnection } from '../suite/transports.ts';

/** Items in each bomb: ~1 MB decoded, a few KB on the wire after snappy. */
const BOMB_ITEMS = 1_000_000;

let chain: MemoryChain;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  ({ chain } = await memoryChain());
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** `n` copies of the one-byte item `byte`, spliced into a list as `n` elements. */
function items(n: number, byte: number): Uint8Array {
  return encodeList([new Uint8Array(n).fill(byte)]);
}

/** `[request-id, list]`. */
function request(list: Uint8Array): Uint8Array {
  return encodeList([encodeUint(1), list]);
}

/** A connection to a fresh node, its Status exchange done (unless `status` is false). */
async function attacker(
  node: ChainReader,
  status = true,
  version: 69 | 72 = 69,
): Promise<{ conn: SuiteConnection; server: Server; client: SuiteClient }> {
  const conn = await connectSuite('server', version, node);
  open.push(conn);
  const client = new SuiteClient(conn.rw, version);
  if (status) {
    await client.readStatus();
    const own = localStatus(version, chain, {
      networkId: chain.config.networkId,
      earliest: 0n,
      td: 0n,
    });
    const registered = new Promise((resolve) =>
      conn.peerSet.events.once('peer:registered', resolve),
    );
    await client.write(CODE.Status, encodeMessage(ETH69, 'Status', own as Status69).data);
    await registered;
  }
  return { conn, server: conn.node as Server, client };
}

/** A legitimate eth node that dials `node`; resolves once its eth handshake is done. */
async function legitimatePeer(node: Server): Promise<void> {
  const peerSet = new PeerSet();
  const legit = new Server({
    privateKey: generatePrivateKey(),
    name: 'legit',
    listenAddress: null,
    protocols: createEthProtocols({ backend: { chain, txPool: new MemoryTxPool() }, peerSet }),
  });
  open.push({ close: () => legit.stop() });
  await legit.start();
  legit.addPeer(node.self());
  await waitFor(() => peerSet.len === 1, {
    what: 'the legitimate peer finished its eth handshake',
    on: { emitters: [peerSet.events], events: ['peer:registered'] },
  });
}

/** The first `peer:removed` of `server`. */
function removed(server: Server): Promise<PeerRemovedEvent> {
  return new Promise((resolve) => server.events.once('peer:removed', resolve));
}

const bomb = items(BOMB_ITEMS, 0x01);
const emptyLists = (n: number): Uint8Array => items(n, 0xc0);

describe('RLP bomb over RLPx (issue 15, finding 1)', () => {
  it.each([
    // The bomb: the whole payload a flat list of one-byte items.
    ['Transactions', CODE.Transactions, bomb, DiscReason.SubprotocolError, /more than 5000/],
    [
      'NewPooledTransactionHashes',
      CODE.NewPooledTransactionHashes,
      bomb,
      DiscReason.ProtocolError,
      /expected 3 elements, got more than 19/,
    ],
    ...(
      [
        ['GetPooledTransactions', CODE.GetPooledTransactions],
        ['GetBlockHeaders', CODE.GetBlockHeaders],
        ['GetBlockBodies', CODE.GetBlockBodies],
        ['BlockHeaders', CODE.BlockHeaders],
        ['BlockBodies', CODE.BlockBodies],
        ['PooledTransactions', CODE.PooledTransactions],
        ['GetReceipts', 0x0f],
        ['Receipts', 0x10],
      ] as const
    ).map(
      ([name, code]) =>
        [
          name,
          code,
          bomb,
          DiscReason.ProtocolError,
          /\[request-id, payload\]: expected 2 elements, got more than 18/,
        ] as const,
    ),
    [
      'BlockRangeUpdate',
      0x11,
      bomb,
      DiscReason.ProtocolError,
      /expected 3 elements, got more than 19/,
    ],
    // The same million items one level down, where each message keeps its list.
    [
      'Transactions of empty lists',
      CODE.Transactions,
      emptyLists(BOMB_ITEMS),
      DiscReason.SubprotocolError,
      /Transactions: more than 5000 elements/,
    ],
    [
      'BlockHeaders of empty lists',
      CODE.BlockHeaders,
      request(emptyLists(BOMB_ITEMS)),
      DiscReason.SubprotocolError,
      /BlockHeaders headers: more than 1024 elements/,
    ],
    [
      'PooledTransactions of empty lists',
      CODE.PooledTransactions,
      request(emptyLists(BOMB_ITEMS)),
      DiscReason.SubprotocolError,
      /PooledTransactions transactions: more than 4096 elements/,
    ],
    [
      'Receipts of empty lists',
      0x10,
      request(emptyLists(BOMB_ITEMS)),
      DiscReason.SubprotocolError,
      /Receipts blocks: more than 1024 elements/,
    ],
    [
      'NewPooledTransactionHashes of a million types',
      CODE.NewPooledTransactionHashes,
      encodeList([encodeBytes(new Uint8Array(BOMB_ITEMS)), emptyLists(0), emptyLists(0)]),
      DiscReason.SubprotocolError,
      /types: more than 4096 elements/,
    ],
  ] as const)(
    'refuses %s at its limit and drops the peer, while another peer handshakes',
    async (_name, code, payload, reason, message) => {
      const { server, client } = await attacker(chain);
      const gone = removed(server);
      await client.write(code, payload);
      const [end] = await Promise.all([gone, legitimatePeer(server)]);
      expect(end.reason).toBe(reason);
      expect(end.remoteRequested).toBe(false);
      expect(String((end.error as Error).message)).toMatch(message);
    },
  );

  it.each([
    [
      'GetReceipts (eth/70 form)',
      0x0f,
      bomb,
      DiscReason.ProtocolError,
      /expected 3 elements, got more than 19/,
    ],
    [
      'Receipts (eth/70) of empty lists',
      0x10,
      encodeList([encodeUint(1), encodeUint(0), emptyLists(BOMB_ITEMS)]),
      DiscReason.SubprotocolError,
      /Receipts blocks: more than 1024 elements/,
    ],
    [
      'GetBlockAccessLists',
      0x12,
      bomb,
      DiscReason.ProtocolError,
      /\[request-id, payload\]: expected 2 elements, got more than 18/,
    ],
    [
      'BlockAccessLists of empty lists',
      0x13,
      request(emptyLists(BOMB_ITEMS)),
      DiscReason.SubprotocolError,
      /BlockAccessLists accessLists: more than 1024 elements/,
    ],
    ['GetCells', 0x14, bomb, DiscReason.ProtocolError, /expected 3 elements, got more than 19/],
    [
      'Cells of empty lists',
      0x15,
      encodeList([
        encodeUint(1),
        emptyLists(0),
        emptyLists(BOMB_ITEMS),
        encodeBytes(new Uint8Array(16)),
      ]),
      DiscReason.SubprotocolError,
      /Cells groups: more than 4096 elements/,
    ],
    [
      'NewPooledTransactionHashes (eth/72)',
      CODE.NewPooledTransactionHashes,
      bomb,
      DiscReason.ProtocolError,
      /expected 4 elements, got more than 20/,
    ],
  ] as const)(
    'eth/72: refuses %s at its limit and drops the peer, while another peer handshakes',
    async (_name, code, payload, reason, message) => {
      const { server, client } = await attacker(chain, true, 72);
      const gone = removed(server);
      await client.write(code, payload);
      const [end] = await Promise.all([gone, legitimatePeer(server)]);
      expect(end.reason).toBe(reason);
      expect(String((end.error as Error).message)).toMatch(message);
    },
  );

  it('refuses a Status bomb sent right after Hello, while another peer handshakes', async () => {
    const { server, client } = await attacker(chain, false);
    const gone = removed(server);
    await client.write(CODE.Status, bomb);
    const [end] = await Promise.all([gone, legitimatePeer(server)]);
    expect(end.reason).toBe(DiscReason.ProtocolError);
    expect(String((end.error as Error).message)).toMatch(/expected 7 elements, got more than 23/);
  });
});

/** A chain that has a one-transaction-less body for any hash, counting the lookups. */
function countingChain(): { chain: ChainReader; lookups: () => number } {
  let lookups = 0;
  const body = encodeList([encodeList([]), encodeList([])]);
  const proxy = new Proxy(chain, {
    get(target, key) {
      if (key === 'bodyByHash') {
        return () => {
          lookups++;
          return body;
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { chain: proxy, lookups: () => lookups };
}

describe('large requests cost what is served (issue 15, finding 2)', () => {
  /** 300k elements: `valid` 32-byte hashes, then one-byte garbage a full decode would refuse. */
  function hugeRequest(valid: number): Uint8Array {
    const hash = encodeBytes(new Uint8Array(32).fill(7));
    const head = new Uint8Array(valid * hash.length);
    for (let i = 0; i < valid; i++) head.set(hash, i * hash.length);
    const tail = new Uint8Array(300_000 - valid).fill(0x01);
    return request(encodeList([head, tail]));
  }

  it('GetBlockBodies of 300k hashes: 1024 looked up and served, the rest never read', async () => {
    const counted = countingChain();
    const { conn, server, client } = await attacker(counted.chain);
    await client.write(CODE.GetBlockBodies, hugeRequest(1024));
    const res = await client.readResponse(CODE.BlockBodies);
    expect(res.items).toHaveLength(1024);
    expect(counted.lookups()).toBe(1024);
    expect(conn.connected()).toBe(true);
    await legitimatePeer(server);
  });

  it('20 such requests back to back: each costs 1024 lookups, and another peer handshakes meanwhile', async () => {
    const counted = countingChain();
    const { conn, server, client } = await attacker(counted.chain);
    const data = hugeRequest(1024);
    // All written before any response is read: the node takes them one at a time.
    const writes = Array.from({ length: 20 }, () => client.write(CODE.GetBlockBodies, data));
    await Promise.all([...writes, legitimatePeer(server)]);
    for (let i = 0; i < 20; i++) {
      expect((await client.readResponse(CODE.BlockBodies)).items).toHaveLength(1024);
    }
    expect(counted.lookups()).toBe(20 * 1024);
    // Both are eth peers of the node: the attacker was served, not dropped.
    expect(conn.peerSet.len).toBe(2);
    expect(server.peerCount()).toBe(2);
  });

  it('GetPooledTransactions of 300k hashes: the first 4096 read, the rest never', async () => {
    const { conn, server, client } = await attacker(chain);
    await client.write(CODE.GetPooledTransactions, hugeRequest(4096));
    const res = await client.readResponse(CODE.PooledTransactions);
    expect(res.items).toEqual([]);
    expect(conn.connected()).toBe(true);
    await legitimatePeer(server);
  });
});
