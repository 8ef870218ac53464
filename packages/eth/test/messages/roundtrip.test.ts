import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageCodec } from '../../src/messages/codec.ts';
import { ETH68, ETH69, ETH70, ETH71, ETH72, type EthVersion } from '../../src/messages/versions.ts';
import { type Arbitraries, eth68, eth69, eth70, eth71, eth72 } from './arbitraries.ts';

function cases<T>(
  version: EthVersion<T>,
  arbs: Arbitraries<T>,
): [string, MessageCodec, fc.Arbitrary<unknown>][] {
  return Object.entries(version.codecs as Record<string, MessageCodec>).map(([name, codec]) => [
    `eth/${version.version} ${name}`,
    codec,
    (arbs as Record<string, fc.Arbitrary<unknown>>)[name] as fc.Arbitrary<unknown>,
  ]);
}

/** Each codec once, under the first version that has it (later versions share most codecs). */
const ALL = [
  ...cases(ETH68, eth68),
  ...cases(ETH69, eth69),
  ...cases(ETH70, eth70),
  ...cases(ETH71, eth71),
  ...cases(ETH72, eth72),
].filter(([, codec], i, all) => all.findIndex(([, c]) => c === codec) === i);

describe('every message round-trips', () => {
  it('has an arbitrary for each message of every version', () => {
    expect(ALL).toHaveLength(13 + 3 + 2 + 2 + 3);
    for (const [, , arb] of ALL) expect(arb).toBeDefined();
  });

  it.each(ALL)('%s: decode(encode(v)) equals v, and encoding is canonical', (_, codec, arb) => {
    fc.assert(
      fc.property(arb, (value) => {
        const data = codec.encode(value);
        const back = codec.decode(data);
        expect(back).toEqual(value);
        expect(codec.encode(back)).toEqual(data);
      }),
      { numRuns: 60 },
    );
  });

  it.each(ALL)('%s: the decoded value shares no memory with the input', (_, codec, arb) => {
    fc.assert(
      fc.property(arb, (value) => {
        const data = codec.encode(value);
        const before = codec.decode(data);
        const snapshot = codec.decode(data.slice());
        data.fill(0xff);
        expect(before).toEqual(snapshot);
      }),
      { numRuns: 30 },
    );
  });
});
