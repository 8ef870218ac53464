/**
 * go-ethereum's eth conformance suite (`cmd/devp2p/internal/ethtest`, geth-p2p-notes §8.2), the
 * tests about the chain, played against our eth protocol serving a generated chain: `Status`,
 * `GetBlockHeaders`, `SimultaneousRequests`, `SameRequestID`, `ZeroRequestID`,
 * `GetNonexistentBlockHeaders` and `GetBlockBodies`, with the suite's request ids and shapes.
 * Every response is checked byte for byte against the generator's headers and bodies. Run at
 * eth/69 and eth/68 over a msgPipe, and over two real Servers on loopback with the suite's
 * capabilities at HEAD (eth/70 + eth/69: eth/70 is negotiated) and in geth v1.15 (eth/68).
 */

import type { MemoryChain } from '@ethp2p/chain';
import { bytesToHex } from '@ethp2p/crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { independentForkId, type SuiteChain, suiteChain } from './suite-chain.ts';
import { CODE, responseBytes, SuiteClient } from './suite-client.ts';
import { connectSuite, type SuiteConnection, type TransportName } from './transports.ts';

const MAX_U64 = 2n ** 64n - 1n;

let suite: SuiteChain;
let chain: MemoryChain;
const open: SuiteConnection[] = [];

beforeAll(async () => {
  suite = await suiteChain();
  chain = await suite.memoryChain();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const hex = (b: Uint8Array): string => bytesToHex(b);

/** The exact BlockHeaders payload for headers `numbers` of the generated chain. */
function headersOf(requestId: bigint, numbers: readonly number[]): string {
  return hex(
    responseBytes(
      requestId,
      numbers.map((n) => suite.gen.headers[n] as Uint8Array),
    ),
  );
}

/** The generated chain's hash of block `n`. */
function hashOf(n: number): Uint8Array {
  return suite.gen.hashes[n] as Uint8Array;
}

/** A fresh connection whose Status exchange is done, suite reading first as geth's does. */
async function peered(
  transport: TransportName,
  version: 68 | 69 | 70,
): Promise<{ client: SuiteClient; conn: SuiteConnection }> {
  const conn = await connectSuite(transport, version, chain);
  open.push(conn);
  expect(conn.version).toBe(version);
  const client = new SuiteClient(conn.rw, version);
  await client.readStatus();
  await client.sendStatus(ownStatus());
  return { client, conn };
}

/** The Status the suite sends: our chain's network, genesis, fork ID and head. */
function ownStatus() {
  const head = chain.head();
  const id = independentForkId(suite.genesisJson, chain.genesis().hash, head);
  return {
    networkId: chain.config.networkId,
    genesis: chain.genesis().hash,
    forkHash: id.hash,
    forkNext: id.next,
    headNumber: head.number,
    headHash: head.hash,
  };
}

describe.each([
  ['pipe', 69],
  ['pipe', 68],
  ['server', 70],
  ['server', 68],
] as const)('eth test suite over %s at eth/%i', (transport, version) => {
  it('Status: ours comes first, with the head and the fork ID of the chain at its head', async () => {
    const conn = await connectSuite(transport, version, chain);
    open.push(conn);
    const client = new SuiteClient(conn.rw, version);
    const status = await client.readStatus();

    const head = chain.head();
    expect(head.number).toBe(100n);
    const want = independentForkId(suite.genesisJson, chain.genesis().hash, head);
    // Osaka (block 8's time) and BPO1 (block 20's) have passed; BPO2 is next.
    expect(want.next).toBe(suite.genesisTime + 1_000_000n);
    expect(hex(status.forkHash)).toBe(hex(want.hash));
    expect(status.forkNext).toBe(want.next);
    expect(status.version).toBe(BigInt(version));
    expect(status.networkId).toBe(1337n);
    expect(hex(status.genesis)).toBe(hex(hashOf(0)));
    if (version >= 69) {
      expect(status.earliest).toBe(0n);
      expect(status.latest).toBe(100n);
      expect(hex(status.latestHash as Uint8Array)).toBe(hex(hashOf(100)));
    } else {
      expect(hex(status.head as Uint8Array)).toBe(hex(hashOf(100)));
      expect(status.td).toBe(0n); // the generated chain is proof-of-stake from genesis
    }

    const registered = new Promise((resolve) =>
      conn.peerSet.events.once('peer:registered', resolve),
    );
    await client.sendStatus(ownStatus());
    await registered;
    expect(conn.peerSet.len).toBe(1);
    expect(conn.connected()).toBe(true);
  });

  it('GetBlockHeaders: id 33, hash of block 1, amount 2, skip 1', async () => {
    const { client } = await peered(transport, version);
    await client.getBlockHeaders(33n, { hash: hashOf(1) }, 2n, 1n);
    const res = await client.readResponse(CODE.BlockHeaders);
    expect(res.requestId).toBe(33n);
    expect(hex(res.data)).toBe(headersOf(33n, [1, 3]));
  });

  it('SimultaneousRequests: ids 111 and 222 answered by id', async () => {
    const { client } = await peered(transport, version);
    await client.getBlockHeaders(111n, { hash: hashOf(1) }, 2n, 1n);
    await client.getBlockHeaders(222n, { hash: hashOf(1) }, 4n, 1n);
    const got = new Map<bigint, string>();
    for (let i = 0; i < 2; i++) {
      const res = await client.readResponse(CODE.BlockHeaders);
      got.set(res.requestId, hex(res.data));
    }
    expect(got.get(111n)).toBe(headersOf(111n, [1, 3]));
    expect(got.get(222n)).toBe(headersOf(222n, [1, 3, 5, 7]));
  });

  it('SameRequestID: two requests with id 1234 are both answered', async () => {
    const { client } = await peered(transport, version);
    await client.getBlockHeaders(1234n, { number: 1n }, 2n);
    await client.getBlockHeaders(1234n, { number: 33n }, 3n);
    const got = new Map<number, string>();
    for (let i = 0; i < 2; i++) {
      const res = await client.readResponse(CODE.BlockHeaders);
      expect(res.requestId).toBe(1234n);
      got.set(res.items.length, hex(res.data));
    }
    expect(got.get(2)).toBe(headersOf(1234n, [1, 2]));
    expect(got.get(3)).toBe(headersOf(1234n, [33, 34, 35]));
  });

  it('ZeroRequestID: id 0, number 0, amount 2', async () => {
    const { client } = await peered(transport, version);
    await client.getBlockHeaders(0n, { number: 0n }, 2n);
    const res = await client.readResponse(CODE.BlockHeaders);
    expect(res.requestId).toBe(0n);
    expect(hex(res.data)).toBe(headersOf(0n, [0, 1]));
  });

  it('GetNonexistentBlockHeaders: ids 0..9 for block 2^64-1 get empty answers, no disconnect', async () => {
    const { client, conn } = await peered(transport, version);
    for (let id = 0n; id < 10n; id++) await client.getBlockHeaders(id, { number: MAX_U64 }, 1n);
    for (let id = 0n; id < 10n; id++) {
      const res = await client.readResponse(CODE.BlockHeaders);
      expect(res.requestId).toBe(id);
      expect(hex(res.data)).toBe(headersOf(id, []));
    }
    // Still connected and serving.
    await client.getBlockHeaders(10n, { number: 100n }, 1n);
    expect(hex((await client.readResponse(CODE.BlockHeaders)).data)).toBe(headersOf(10n, [100]));
    expect(conn.connected()).toBe(true);
  });

  it('GetBlockBodies: id 55 for blocks 54 and 75', async () => {
    const { client } = await peered(transport, version);
    await client.getBlockBodies(55n, [hashOf(54), hashOf(75)]);
    const res = await client.readResponse(CODE.BlockBodies);
    expect(res.requestId).toBe(55n);
    expect(res.items).toHaveLength(2);
    const bodies = [54, 75].map((n) => suite.gen.bodies[n] as Uint8Array);
    expect(hex(res.data)).toBe(hex(responseBytes(55n, bodies)));
    // Block 76 carries transactions (every fifth block from 1 does), so a body is not trivial.
    await client.getBlockBodies(56n, [hashOf(76)]);
    const withTxs = await client.readResponse(CODE.BlockBodies);
    expect(suite.gen.txs[76]?.length).toBeGreaterThan(0);
    expect(hex(withTxs.data)).toBe(hex(responseBytes(56n, [suite.gen.bodies[76] as Uint8Array])));
  });
});
