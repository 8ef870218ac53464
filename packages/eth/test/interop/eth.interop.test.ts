/**
 * eth/68 on loopback between our Server (eth/72 to eth/68 offered, over a MemoryChain of a
 * generated chain) and an `@ethereumjs/devp2p` node (eth/68 only) whose `Common` is built from
 * the same genesis.json: negotiation picks eth/68, each side accepts the other's Status, a
 * GetBlockHeaders from ethereumjs is answered from the chain, and Transactions cross both ways;
 * in both directions of the dial.
 */
import { type ETH as EjsEth, type Peer as EjsPeer, EthMessageCodes } from '@ethereumjs/devp2p';
import { RLP } from '@ethereumjs/rlp';
import type { MemoryChain } from '@ethp2p/chain';
import { MemoryTxPool } from '@ethp2p/chain';
import { bytesToHex, generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { Server } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import { EventQueue, ethOf, listenEjs, within } from '../../../rlpx/test/helpers/ethereumjs.ts';
import { forkId } from '../../src/forkid/fork-id.ts';
import type { Status68 } from '../../src/messages/status.ts';
import type { EthPeer } from '../../src/peer/eth-peer.ts';
import { broadcastTransactions } from '../../src/peer-set/broadcast.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import { type SuiteChain, suiteChain } from '../suite/suite-chain.ts';
import { commonFromGenesis, type EjsNode, ejsNode } from './ejs-node.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const hex = (b: Uint8Array): string => bytesToHex(b);

/** What the ethereumjs ETH protocol emitted after Status: `'message'` events. */
interface EjsMessage {
  readonly code: number;
  readonly payload: unknown[];
}

interface Pair {
  readonly suite: SuiteChain;
  readonly chain: MemoryChain;
  readonly pool: MemoryTxPool;
  readonly peerSet: PeerSet;
  readonly server: Server;
  readonly ejs: EjsNode;
  /** Our side of the connection, once registered. */
  readonly ours: EthPeer;
  /** Its side. */
  readonly theirs: EjsPeer;
  readonly eth: EjsEth;
  /** The Status ethereumjs accepted from us. */
  readonly ejsStatus: { forkId?: unknown[]; bestHash: Uint8Array };
  readonly messages: EventQueue<EjsMessage>;
  readonly signal: AbortSignal;
}

/**
 * Starts both nodes (our pool holding `pooled`), connects them (`dialer` dials) and completes
 * the Status exchange.
 */
async function connectPair(dialer: 'ejs' | 'ours', pooled: Uint8Array[] = []): Promise<Pair> {
  const signal = AbortSignal.timeout(15_000);
  const suite = await suiteChain();
  const chain = await suite.memoryChain();
  const pool = new MemoryTxPool();
  pool.add(pooled);
  const peerSet = new PeerSet();
  const serverKey = generatePrivateKey();
  const server = new Server({
    privateKey: serverKey,
    protocols: createEthProtocols({ backend: { chain, txPool: pool }, peerSet }),
  });
  cleanups.push(() => server.stop());
  await server.start();

  const head = chain.head();
  const common = commonFromGenesis(suite.genesisJson, chain.genesis().hash, head);
  const ejsKey = generatePrivateKey();
  const ejs = ejsNode(ejsKey, common);
  cleanups.push(() => ejs.rlpx.destroy());

  const registered = within(
    new Promise<EthPeer>((resolve) =>
      peerSet.events.once('peer:registered', ({ peer }) => resolve(peer)),
    ),
    signal,
  );
  if (dialer === 'ejs') {
    await within(
      ejs.rlpx.connect({
        id: publicKey(serverKey),
        address: '127.0.0.1',
        tcpPort: server.listenPort as number,
      }),
      signal,
    );
  } else {
    const port = await listenEjs(ejs.rlpx, signal);
    server.addPeer(Node.fromPublicKey(publicKey(ejsKey), { ip: '127.0.0.1', tcp: port }));
  }
  const theirs = await ejs.added.next(signal);
  const eth = ethOf(theirs);
  const messages = new EventQueue<EjsMessage>();
  // Its ETH emits 'message' for Status too (also reported as 'status'): left out here.
  eth.events.on('message', (code: number, payload: unknown) => {
    if (code !== EthMessageCodes.STATUS) messages.push({ code, payload: payload as unknown[] });
  });
  const statusEvent = within(
    new Promise<Pair['ejsStatus']>((resolve) => eth.events.once('status', resolve)),
    signal,
  );
  eth.sendStatus({
    td: new Uint8Array(0),
    bestHash: head.hash,
    genesisHash: chain.genesis().hash,
    latestBlock: Uint8Array.of(Number(head.number)),
  });
  const [ours, ejsStatus] = await Promise.all([registered, statusEvent]);
  return {
    suite,
    chain,
    pool,
    peerSet,
    server,
    ejs,
    ours,
    theirs,
    eth,
    ejsStatus,
    messages,
    signal,
  };
}

/** A legacy transaction's canonical encoding (fake signature: the pool checks the envelope). */
function legacyTx(nonce: number): Uint8Array {
  const to = new Uint8Array(20).fill(0xbb);
  return RLP.encode([nonce, 1_000_000_000, 21_000, to, 1, new Uint8Array(0), 27, 1, 1]);
}

/** An EIP-1559 transaction's canonical encoding: `0x02 ‖ rlp([...])`. */
function dynamicFeeTx(nonce: number): Uint8Array {
  const to = new Uint8Array(20).fill(0xcc);
  const body = RLP.encode([
    1337,
    nonce,
    1,
    2_000_000_000,
    21_000,
    to,
    2,
    new Uint8Array(0),
    [],
    0,
    1,
    1,
  ]);
  return Uint8Array.of(0x02, ...body);
}

describe.each(['ejs', 'ours'] as const)('eth/68 with @ethereumjs/devp2p, %s dialing', (dialer) => {
  it('accepts both Statuses, serves its GetBlockHeaders, and Transactions cross both ways', async () => {
    const p = await connectPair(dialer);
    const head = p.chain.head();
    const ourForkId = forkId(p.chain.config, head);

    // Negotiation: ethereumjs has only eth/68, we offered 69 too.
    expect(p.ours.version).toBe(68);
    expect(p.eth.getVersion()).toBe(68);
    expect(p.ours.protocolPeer.inbound).toBe(dialer === 'ejs');
    // Its Status, as we accepted it: its head, and the fork ID its Common computed.
    const theirStatus = p.ours.status as Status68;
    expect(hex(theirStatus.head)).toBe(hex(head.hash));
    expect(hex(theirStatus.forkId.hash)).toBe(hex(ourForkId.hash));
    expect(theirStatus.forkId.next).toBe(ourForkId.next);
    // Ours, as it accepted it.
    expect(hex(p.ejsStatus.bestHash)).toBe(hex(head.hash));
    const [forkHash] = p.ejsStatus.forkId as [Uint8Array, Uint8Array];
    expect(hex(forkHash)).toBe(hex(ourForkId.hash));

    // GetBlockHeaders from ethereumjs: by hash of block 1, 3 headers, skip 1; then by number,
    // 3 headers back from the head.
    p.eth.sendMessage(EthMessageCodes.GET_BLOCK_HEADERS, [7, [p.suite.gen.hashes[1], 3, 1, 0]]);
    p.eth.sendMessage(EthMessageCodes.GET_BLOCK_HEADERS, [8, [100, 3, 0, 1]]);
    for (const [id, numbers] of [
      [7, [1, 3, 5]],
      [8, [100, 99, 98]],
    ] as const) {
      const res = await p.messages.next(p.signal);
      expect(res.code).toBe(EthMessageCodes.BLOCK_HEADERS);
      const [reqId, headers] = res.payload as [Uint8Array, unknown[]];
      expect(hex(reqId)).toBe(hex(Uint8Array.of(id)));
      expect(headers.map((h) => hex(RLP.encode(h as Uint8Array)))).toEqual(
        numbers.map((n) => hex(p.suite.gen.headers[n] as Uint8Array)),
      );
    }

    // Transactions from ethereumjs to us: a legacy one (a list) and a typed one (a string).
    const incoming = [legacyTx(1), dynamicFeeTx(2)];
    const received = within(
      new Promise<readonly Uint8Array[]>((resolve) =>
        p.ours.events.once('txs:received', ({ txs }) => resolve(txs)),
      ),
      p.signal,
    );
    p.eth.sendMessage(EthMessageCodes.TX, [RLP.decode(incoming[0]), incoming[1]]);
    expect((await received).map(hex)).toEqual(incoming.map(hex));
    for (const tx of incoming) expect(p.pool.has(keccak256(tx))).toBe(true);

    // Transactions from us to ethereumjs: into the pool, then broadcast to the one peer.
    const outgoing = [legacyTx(3), dynamicFeeTx(4)];
    expect(p.pool.add(outgoing)).toEqual([true, true]);
    const spread = broadcastTransactions(p.peerSet, p.pool, outgoing.map(keccak256));
    expect(spread).toEqual({ sent: 2, announced: 0 });
    const tx = await p.messages.next(p.signal);
    expect(tx.code).toBe(EthMessageCodes.TX);
    expect(hex(RLP.encode(tx.payload[0] as Uint8Array))).toBe(hex(outgoing[0] as Uint8Array));
    expect(hex(tx.payload[1] as Uint8Array)).toBe(hex(outgoing[1] as Uint8Array));

    // Nothing else crossed, and both sides are still connected.
    expect(p.messages.size).toBe(0);
    expect(p.ejs.errors).toEqual([]);
    expect(p.server.peerCount()).toBe(1);
    expect(p.peerSet.len).toBe(1);
  });
});

describe('eth/68 with @ethereumjs/devp2p: the pool on connect', () => {
  it('announces our pool to it and answers its GetPooledTransactions', async () => {
    const pooled = [legacyTx(9), dynamicFeeTx(10)];
    const p = await connectPair('ejs', pooled);

    // A new peer is told about the pool at once, in the eth/68 announcement shape.
    const ann = await p.messages.next(p.signal);
    expect(ann.code).toBe(EthMessageCodes.NEW_POOLED_TRANSACTION_HASHES);
    const [types, sizes, hashes] = ann.payload as [Uint8Array, Uint8Array[], Uint8Array[]];
    expect(hex(types)).toBe('0002');
    expect(sizes.map((s) => Number(`0x${hex(s)}`))).toEqual(pooled.map((t) => t.length));
    expect(hashes.map(hex)).toEqual(pooled.map((t) => hex(keccak256(t))));

    // It asks for them (and for a hash we do not have, which is skipped).
    p.eth.sendMessage(EthMessageCodes.GET_POOLED_TRANSACTIONS, [
      42,
      [...hashes, new Uint8Array(32)],
    ]);
    const res = await p.messages.next(p.signal);
    expect(res.code).toBe(EthMessageCodes.POOLED_TRANSACTIONS);
    const [reqId, txs] = res.payload as [Uint8Array, unknown[]];
    expect(hex(reqId)).toBe('2a');
    expect(hex(RLP.encode(txs[0] as Uint8Array))).toBe(hex(pooled[0] as Uint8Array));
    expect(hex(txs[1] as Uint8Array)).toBe(hex(pooled[1] as Uint8Array));
    expect(txs).toHaveLength(2);
    expect(p.ejs.errors).toEqual([]);
  });
});
