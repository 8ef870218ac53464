import { RLP } from '@ethereumjs/rlp';
import { MemoryChain } from '@ethp2p/chain';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveBodies } from '../../src/serve/bodies.ts';
import { MAX_BODIES_SERVE, SOFT_RESPONSE_LIMIT_BYTES } from '../../src/serve/limits.ts';
import { type GeneratedChain, generateChain } from '../helpers/chain-generator.ts';
import { fakeChain, fakeHash, fakeHashNumber } from '../helpers/fake-chain.ts';

let gen: GeneratedChain;
let chain: MemoryChain;
beforeAll(async () => {
  gen = await generateChain({ blocks: 100, txEvery: 3 });
  chain = await MemoryChain.fromGenesis(gen.genesis);
  chain.importRlp(gen.chainRlp);
});

const h = (n: number) => gen.hashes[n] as Uint8Array;

describe('serveBodies', () => {
  it('serves bodies in request order, with and without transactions', () => {
    const served = serveBodies(chain, [h(7), h(0), h(1), h(100), h(7)]);
    expect(served).toEqual([
      gen.bodies[7],
      gen.bodies[0],
      gen.bodies[1],
      gen.bodies[100],
      gen.bodies[7],
    ]);
    const txs = (RLP.decode(served[2] as Uint8Array) as Uint8Array[][])[0];
    expect(txs).toHaveLength(2);
  });

  it('GetBlockBodies of the geth eth test suite: blocks 54 and 75', () => {
    expect(serveBodies(chain, [h(54), h(75)])).toEqual([gen.bodies[54], gen.bodies[75]]);
  });

  it('stops at the first unknown block, so the response is a prefix of the request', () => {
    const unknown = fakeHash(1);
    expect(serveBodies(chain, [h(3), h(4), unknown, h(5)])).toEqual([gen.bodies[3], gen.bodies[4]]);
    expect(serveBodies(chain, [unknown, h(5)])).toEqual([]);
    expect(serveBodies(chain, [])).toEqual([]);
  });

  it('serves at most 1024 bodies', () => {
    const small = fakeChain({ body: () => Uint8Array.of(0xc2, 0xc0, 0xc0) });
    const hashes = Array.from({ length: 3000 }, (_, i) => fakeHash(i));
    expect(serveBodies(small, hashes)).toHaveLength(MAX_BODIES_SERVE);
  });

  it('stops after the body that reaches 2 MiB', () => {
    const size = 300_000;
    const big = fakeChain({ body: (hash) => new Uint8Array(size).fill(fakeHashNumber(hash)) });
    const hashes = Array.from({ length: 20 }, (_, i) => fakeHash(i));
    const served = serveBodies(big, hashes);
    expect(served).toHaveLength(Math.ceil(SOFT_RESPONSE_LIMIT_BYTES / size));
    expect(served.map((b) => b[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
