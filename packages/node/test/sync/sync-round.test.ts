import { silentLogger } from '@ethp2p/base';
import { encodeList, encodeUint, listItems, readRoot } from '@ethp2p/base/rlp';
import { decodeHeader, HEADER_FIELD_INDEX, MemoryChain } from '@ethp2p/chain';
import { equalBytes } from '@ethp2p/crypto';
import { type ChainHeader, type EthPeer, REQUEST_ERROR_CODE, RequestError } from '@ethp2p/eth';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedChain, generateChain } from '../../../eth/test/helpers/chain-generator.ts';
import { type RoundContext, type RoundEnd, SyncRound } from '../../src/sync/sync-round.ts';

const BLOCKS = 60;
let gen: GeneratedChain;
let source: MemoryChain;

beforeAll(async () => {
  // Every block has transactions, so every body is fetched.
  gen = await generateChain({ blocks: BLOCKS, txEvery: 1 });
  source = await MemoryChain.fromGenesis(gen.genesis);
  source.importRlp(gen.chainRlp);
});

/** What a fake peer does with a body request. */
type BodyAnswer = (hashes: readonly Uint8Array[]) => Promise<Uint8Array[]>;

interface FakePeer {
  readonly peer: EthPeer;
  readonly headerRequests: bigint[];
  readonly bodyRequests: number[];
}

/** A peer serving `source` through the two requests a round makes. */
function fakePeer(key: string, bodies?: BodyAnswer): FakePeer {
  const headerRequests: bigint[] = [];
  const bodyRequests: number[] = [];
  const serve: BodyAnswer = async (hashes) => hashes.map((h) => source.bodyByHash(h) as Uint8Array);
  const peer = {
    key,
    closed: false,
    async requestHeadersByNumber(origin: bigint, amount: number): Promise<Uint8Array[]> {
      headerRequests.push(origin);
      const out: Uint8Array[] = [];
      for (let n = origin; n < origin + BigInt(amount); n++) {
        const header = source.headerByNumber(n);
        if (header !== undefined) out.push(header.rlp);
      }
      return out;
    },
    requestBodies(hashes: readonly Uint8Array[]): Promise<Uint8Array[]> {
      bodyRequests.push(hashes.length);
      return (bodies ?? serve)(hashes);
    },
  };
  return { peer: peer as unknown as EthPeer, headerRequests, bodyRequests };
}

async function round(
  target: FakePeer,
  others: readonly FakePeer[],
  options: Partial<RoundContext> = {},
): Promise<{ end: RoundEnd; chain: MemoryChain; dropped: string[] }> {
  const chain = await MemoryChain.fromGenesis(gen.genesis);
  const dropped: string[] = [];
  // The other peers come first, so they get the first body requests.
  const all = [...others, target];
  const end = await new SyncRound({
    chain,
    target: target.peer,
    targetNumber: BigInt(BLOCKS),
    peers: () =>
      all
        .filter((p) => !dropped.includes(p.peer.key))
        .map((p) => ({ peer: p.peer, head: BigInt(BLOCKS) })),
    drop: (peer) => dropped.push(peer.key),
    imported: () => undefined,
    signal: new AbortController().signal,
    log: silentLogger,
    requestTimeoutMs: 1000,
    headerBatch: 16,
    bodyBatch: 8,
    ...options,
  }).run();
  return { end, chain, dropped };
}

describe('SyncRound', () => {
  it('fetches headers from the target and bodies from every peer', async () => {
    const target = fakePeer('a');
    const helper = fakePeer('b');
    const { end, chain } = await round(target, [helper]);
    expect(end.kind).toBe('done');
    expect(chain.head().hash).toEqual(gen.hashes[BLOCKS]);
    expect(target.headerRequests).toEqual([1n, 17n, 33n, 49n]);
    expect(helper.bodyRequests.length).toBeGreaterThan(0);
    expect(target.bodyRequests.length).toBeGreaterThan(0);
    expect(helper.headerRequests).toEqual([]);
  });

  it('moves bodies that timed out to another peer', async () => {
    const slow = fakePeer('b', () =>
      Promise.reject(new RequestError(REQUEST_ERROR_CODE.TIMEOUT, 'request timed out')),
    );
    const { end, chain, dropped } = await round(fakePeer('a'), [slow]);
    expect(end.kind).toBe('done');
    expect(chain.head().number).toBe(BigInt(BLOCKS));
    expect(slow.bodyRequests).toHaveLength(1); // skipped for the rest of the round
    expect(dropped).toEqual([]);
  });

  it('drops a peer whose body fails the import and fetches it again elsewhere', async () => {
    const bad = gen.hashes[5] as Uint8Array;
    const liar = fakePeer('b', async (hashes) =>
      hashes.map((h) =>
        equalBytes(h, bad) ? (gen.bodies[6] as Uint8Array) : (source.bodyByHash(h) as Uint8Array),
      ),
    );
    const { end, chain, dropped } = await round(fakePeer('a'), [liar], { bodyBatch: 60 });
    expect(dropped).toContain('b');
    expect(end.kind).toBe('done');
    expect(chain.head().hash).toEqual(gen.hashes[BLOCKS]);
    expect(chain.bodyByHash(bad)).toEqual(gen.bodies[5]);
  });

  it('checks header rules once, at the import: a bad header drops the target there', async () => {
    // Header 10 with a gas limit far from its parent's: it links, so the round takes it.
    const rlp = (source.headerByNumber(10n) as ChainHeader).rlp;
    const fields = listItems(readRoot(rlp, 'header'), 'header').map((f) => f.raw);
    fields[HEADER_FIELD_INDEX.gasLimit] = encodeUint(1_000_000_000n);
    const bad = decodeHeader(encodeList(fields));
    const target = fakePeer('a', async (hashes) =>
      hashes.map(
        (h) =>
          source.bodyByHash(
            equalBytes(h, bad.hash) ? (gen.hashes[10] as Uint8Array) : h,
          ) as Uint8Array,
      ),
    );
    const serveHeaders = target.peer.requestHeadersByNumber.bind(target.peer);
    Object.assign(target.peer, {
      requestHeadersByNumber: async (origin: bigint, amount: number) =>
        (await serveHeaders(origin, amount))
          .slice(0, Number(10n - origin + 1n))
          .map((rlp, i) => (origin + BigInt(i) === 10n ? bad.rlp : rlp)),
    });
    const { end, chain, dropped } = await round(target, [], { targetNumber: 10n });
    expect(end.kind).toBe('dropped');
    expect(dropped).toEqual(['a']);
    expect(chain.head().number).toBe(9n);
  });

  it('ends stalled when the target serves no headers', async () => {
    const target = fakePeer('a');
    (
      target.peer as unknown as { requestHeadersByNumber: () => Promise<never[]> }
    ).requestHeadersByNumber = async () => [];
    const { end, chain } = await round(target, []);
    expect(end.kind).toBe('stalled');
    expect(chain.head().number).toBe(0n);
  });

  it('keeps at most maxQueuedBlocks fetched and not imported', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = fakePeer('a', async (hashes) => {
      await gate;
      return hashes.map((h) => source.bodyByHash(h) as Uint8Array);
    });
    const running = round(held, [], { maxQueuedBlocks: 20, headerBatch: 16 });
    // Let the header requests run until the queue is full.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(held.headerRequests).toEqual([1n, 17n]); // 16 + 4: the queue holds 20
    release();
    const { end, chain } = await running;
    expect(end.kind).toBe('done');
    expect(chain.head().number).toBe(BigInt(BLOCKS));
  });

  it('ends aborted when its signal aborts', async () => {
    const controller = new AbortController();
    const hang = fakePeer('a', () => new Promise(() => undefined));
    const running = round(hang, [], { signal: controller.signal });
    controller.abort(new Error('stop'));
    expect((await running).end.kind).toBe('aborted');
  });
});
