import { RLP } from '@ethereumjs/rlp';
import { decodeHeader, MemoryChain } from '@ethp2p/chain';
import { bytesToHex, keccak256 } from '@ethp2p/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChainHeader, ChainReader } from '../../src/chain/types.ts';
import { type HeaderQuery, serveHeaders } from '../../src/serve/headers.ts';
import { MAX_HEADERS_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from '../../src/serve/limits.ts';
import { type GeneratedChain, generateChain } from '../helpers/chain-generator.ts';

const MAX_U64 = 2n ** 64n - 1n;
const HEAD = 40;

let gen: GeneratedChain;
let chain: MemoryChain;
beforeAll(async () => {
  gen = await generateChain({ blocks: HEAD, txEvery: 5 });
  chain = await MemoryChain.fromGenesis(gen.genesis);
  chain.importRlp(gen.chainRlp);
});

/** The block numbers a query should return, computed the plain way. */
function expectedNumbers(origin: number, amount: bigint, skip: bigint, reverse: boolean): number[] {
  const out: number[] = [];
  const limit = amount < BigInt(MAX_HEADERS_SERVE) ? Number(amount) : MAX_HEADERS_SERVE;
  for (let n = BigInt(origin); out.length < limit && n >= 0n && n <= BigInt(HEAD); ) {
    out.push(Number(n));
    n = reverse ? n - (skip + 1n) : n + skip + 1n;
  }
  return out;
}

function numbersOf(headers: Uint8Array[]): number[] {
  return headers.map((h) => Number(decodeHeader(h).number));
}

describe('serveHeaders', () => {
  it('answers every origin, amount, skip and direction, clipped at both ends', () => {
    // Served headers are the chain's own RLP arrays: map them back to numbers by identity.
    const numberOf = new Map<Uint8Array, number>();
    for (let n = 0; n <= HEAD; n++) {
      const header = chain.headerByNumber(BigInt(n)) as ChainHeader;
      expect(header.rlp).toEqual(gen.headers[n]);
      numberOf.set(header.rlp, n);
    }
    const stored = (rlp: Uint8Array) => numberOf.get(rlp) ?? -1;
    const origins = [0, 1, 2, 5, 20, HEAD - 2, HEAD - 1, HEAD];
    const amounts = [0n, 1n, 2n, 3n, 7n, 41n, 100n, MAX_U64];
    const skips = [0n, 1n, 2n, 7n, 39n, 40n, 1000n, MAX_U64 - 1n, MAX_U64];
    let checked = 0;
    for (const origin of origins) {
      for (const amount of amounts) {
        for (const skip of skips) {
          for (const reverse of [false, true]) {
            const want = expectedNumbers(origin, amount, skip, reverse);
            const byNumber = serveHeaders(chain, {
              origin: { number: BigInt(origin) },
              amount,
              skip,
              reverse,
            });
            const byHash = serveHeaders(chain, {
              origin: { hash: gen.hashes[origin] as Uint8Array },
              amount,
              skip,
              reverse,
            });
            const label = `origin ${origin} amount ${amount} skip ${skip} reverse ${reverse}`;
            expect(byNumber.map(stored), label).toEqual(want);
            expect(byHash.map(stored), label).toEqual(want);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(origins.length * amounts.length * skips.length * 2);
  });

  it('returns nothing for an unknown origin', () => {
    for (const reverse of [false, true]) {
      for (const number of [BigInt(HEAD + 1), 1000n, MAX_U64]) {
        expect(serveHeaders(chain, { origin: { number }, amount: 5n, skip: 0n, reverse })).toEqual(
          [],
        );
      }
      const hash = keccak256(Uint8Array.of(1));
      expect(serveHeaders(chain, { origin: { hash }, amount: 5n, skip: 0n, reverse })).toEqual([]);
    }
  });

  it('never steps past the u64 range', () => {
    const near: HeaderQuery = { origin: { number: 1n }, amount: 3n, skip: MAX_U64, reverse: false };
    expect(numbersOf(serveHeaders(chain, near))).toEqual([1]);
    const back: HeaderQuery = { origin: { number: 3n }, amount: 3n, skip: MAX_U64, reverse: true };
    expect(numbersOf(serveHeaders(chain, back))).toEqual([3]);
  });

  it('refuses amounts and skips outside the u64 range', () => {
    const query = { origin: { number: 0n }, amount: 1n, skip: 0n, reverse: false };
    expect(() => serveHeaders(chain, { ...query, amount: -1n })).toThrow(RangeError);
    expect(() => serveHeaders(chain, { ...query, skip: 2n ** 64n })).toThrow(RangeError);
    expect(() => serveHeaders(chain, { ...query, amount: 1 as unknown as bigint })).toThrow(
      RangeError,
    );
  });
});

describe('serveHeaders limits', () => {
  it('serves at most 1024 headers', async () => {
    const long = await generateChain({ blocks: 1100, txEvery: 0 });
    const longChain = await MemoryChain.fromGenesis(long.genesis);
    longChain.importRlp(long.chainRlp);
    const forward = serveHeaders(longChain, {
      origin: { number: 0n },
      amount: 5000n,
      skip: 0n,
      reverse: false,
    });
    expect(forward).toHaveLength(MAX_HEADERS_SERVE);
    expect(numbersOf(forward).at(-1)).toBe(1023);
    const back = serveHeaders(longChain, {
      origin: { hash: long.hashes[1100] as Uint8Array },
      amount: MAX_U64,
      skip: 0n,
      reverse: true,
    });
    expect(numbersOf(back)).toEqual(Array.from({ length: 1024 }, (_, i) => 1100 - i));
  });

  it('stops after the header that reaches 2 MiB', async () => {
    const big = await generateChain({ blocks: 80, txEvery: 0, extraDataBytes: 40_000 });
    const bigChain = await MemoryChain.fromGenesis(big.genesis);
    bigChain.importRlp(big.chainRlp);
    const served = serveHeaders(bigChain, {
      origin: { number: 1n },
      amount: 100n,
      skip: 0n,
      reverse: false,
    });
    const size = (list: Uint8Array[]) => list.reduce((sum, h) => sum + h.length, 0);
    expect(served.length).toBeLessThan(80);
    expect(size(served)).toBeGreaterThanOrEqual(SOFT_RESPONSE_LIMIT_BYTES);
    expect(size(served.slice(0, -1))).toBeLessThan(SOFT_RESPONSE_LIMIT_BYTES);
  });
});

describe('serveHeaders on a chain with a side branch', () => {
  /** The canonical chain plus a side branch of 5 blocks forking after block 10. */
  class ForkedChain implements ChainReader {
    readonly side: ChainHeader[] = [];
    readonly #inner: ChainReader;
    constructor(inner: ChainReader, from: number, length: number) {
      this.#inner = inner;
      let parent = inner.headerByNumber(BigInt(from)) as ChainHeader;
      for (let i = 0; i < length; i++) {
        const fields = RLP.decode(gen.headers[from + 1 + i] as Uint8Array) as Uint8Array[];
        fields[0] = parent.hash;
        fields[12] = Uint8Array.of(0x51, i); // other extraData: another hash
        parent = decodeHeader(RLP.encode(fields));
        this.side.push(parent);
      }
    }
    get config() {
      return this.#inner.config;
    }
    genesis() {
      return this.#inner.genesis();
    }
    head() {
      return this.#inner.head();
    }
    headerByHash(hash: Uint8Array) {
      return (
        this.#inner.headerByHash(hash) ??
        this.side.find((h) => bytesToHex(h.hash) === bytesToHex(hash))
      );
    }
    headerByNumber(number: bigint) {
      return this.#inner.headerByNumber(number);
    }
    bodyByHash(hash: Uint8Array) {
      return this.#inner.bodyByHash(hash);
    }
    receiptsByHash(hash: Uint8Array) {
      return this.#inner.receiptsByHash(hash);
    }
  }

  it('serves only the origin forward from a side block', () => {
    const forked = new ForkedChain(chain, 10, 5);
    const tip = forked.side[2] as ChainHeader; // block 13'
    for (const skip of [0n, 1n]) {
      const served = serveHeaders(forked, {
        origin: { hash: tip.hash },
        amount: 4n,
        skip,
        reverse: false,
      });
      expect(served).toEqual([tip.rlp]);
    }
  });

  it('walks back through side blocks onto the canonical chain', () => {
    const forked = new ForkedChain(chain, 10, 5);
    const tip = forked.side[4] as ChainHeader; // block 15'
    const contiguous = serveHeaders(forked, {
      origin: { hash: tip.hash },
      amount: 8n,
      skip: 0n,
      reverse: true,
    });
    expect(contiguous).toEqual([
      ...[4, 3, 2, 1, 0].map((i) => (forked.side[i] as ChainHeader).rlp),
      gen.headers[10],
      gen.headers[9],
      gen.headers[8],
    ]);
    const skipping = serveHeaders(forked, {
      origin: { hash: tip.hash },
      amount: 5n,
      skip: 2n,
      reverse: true,
    });
    expect(numbersOf(skipping)).toEqual([15, 12, 9, 6, 3]);
    expect(skipping[1]).toEqual((forked.side[1] as ChainHeader).rlp);
    expect(skipping[2]).toEqual(gen.headers[9]);
  });

  it('does not find side blocks by number', () => {
    const forked = new ForkedChain(chain, 10, 5);
    const served = serveHeaders(forked, {
      origin: { number: 13n },
      amount: 1n,
      skip: 0n,
      reverse: false,
    });
    expect(served).toEqual([gen.headers[13]]);
  });
});

describe('the request shapes of the geth eth test suite (cmd/devp2p/internal/ethtest)', () => {
  const h = (n: number) => gen.hashes[n] as Uint8Array;

  it('GetBlockHeaders: hash of block 1, amount 2, skip 1', () => {
    const served = serveHeaders(chain, {
      origin: { hash: h(1) },
      amount: 2n,
      skip: 1n,
      reverse: false,
    });
    expect(served).toEqual([gen.headers[1], gen.headers[3]]);
  });

  it('SimultaneousRequests: amount 2 and amount 4 from block 1, skip 1', () => {
    const a = serveHeaders(chain, { origin: { hash: h(1) }, amount: 2n, skip: 1n, reverse: false });
    const b = serveHeaders(chain, { origin: { hash: h(1) }, amount: 4n, skip: 1n, reverse: false });
    expect(numbersOf(a)).toEqual([1, 3]);
    expect(numbersOf(b)).toEqual([1, 3, 5, 7]);
  });

  it('SameRequestID: number 1 amount 2, number 33 amount 3', () => {
    const a = serveHeaders(chain, { origin: { number: 1n }, amount: 2n, skip: 0n, reverse: false });
    const b = serveHeaders(chain, {
      origin: { number: 33n },
      amount: 3n,
      skip: 0n,
      reverse: false,
    });
    expect(a).toEqual([gen.headers[1], gen.headers[2]]);
    expect(b).toEqual([gen.headers[33], gen.headers[34], gen.headers[35]]);
  });

  it('ZeroRequestID: number 0 amount 2', () => {
    const served = serveHeaders(chain, {
      origin: { number: 0n },
      amount: 2n,
      skip: 0n,
      reverse: false,
    });
    expect(served).toEqual([gen.headers[0], gen.headers[1]]);
  });

  it('GetNonexistentBlockHeaders: number 2^64-1, amount 1', () => {
    const served = serveHeaders(chain, {
      origin: { number: MAX_U64 },
      amount: 1n,
      skip: 0n,
      reverse: false,
    });
    expect(served).toEqual([]);
  });
});
