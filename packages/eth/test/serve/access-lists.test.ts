import { RLP } from '@ethereumjs/rlp';
import { describe, expect, it } from 'vitest';
import { serveAccessLists } from '../../src/serve/access-lists.ts';
import { MAX_ACCESS_LISTS_SERVE } from '../../src/serve/limits.ts';
import { fakeChain, fakeHash, fakeHashNumber } from '../helpers/fake-chain.ts';

const EMPTY = Uint8Array.of(0x80);

describe('serveAccessLists (eth/71)', () => {
  // Blocks 1 and 3 have access lists (block 3's is the empty list, a valid one); others none.
  const bals = new Map<number, Uint8Array>([
    [1, RLP.encode([[new Uint8Array(20).fill(1), [], [], [[1, 5]], [], []]])],
    [3, RLP.encode([])],
  ]);
  const chain = fakeChain({ accessList: (hash) => bals.get(fakeHashNumber(hash)) });

  it('answers every block in request order, 0x80 where there is none (geth, EIP-8159)', () => {
    const served = serveAccessLists(chain, [0, 1, 2, 3, 4].map(fakeHash));
    expect(served).toEqual([EMPTY, bals.get(1), EMPTY, bals.get(3), EMPTY]);
  });

  it('answers every entry with 0x80 on a chain without access lists', () => {
    expect(serveAccessLists(fakeChain({}), [fakeHash(1), fakeHash(2)])).toEqual([EMPTY, EMPTY]);
  });

  it('serves at most 1024 entries', () => {
    const hashes = Array.from({ length: 1500 }, (_, i) => fakeHash(i));
    expect(serveAccessLists(chain, hashes)).toHaveLength(MAX_ACCESS_LISTS_SERVE);
  });

  it('stops after the access list that reaches 2 MiB; unavailable ones do not count', () => {
    const big = RLP.encode([new Uint8Array(700_000)]);
    const bigChain = fakeChain({
      accessList: (h) => (fakeHashNumber(h) % 2 === 0 ? big : undefined),
    });
    const served = serveAccessLists(
      bigChain,
      Array.from({ length: 20 }, (_, i) => fakeHash(i)),
    );
    // Blocks 0, 2, 4 hold 2.1 MB: the entry after block 4 (block 5) is not served.
    expect(served.map((e) => (e === big ? 'big' : e.length))).toEqual(['big', 1, 'big', 1, 'big']);
  });
});
