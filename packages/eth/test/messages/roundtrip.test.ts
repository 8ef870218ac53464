import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageCodec } from '../../src/messages/codec.ts';
import { ETH68, ETH69, type EthVersion } from '../../src/messages/versions.ts';
import { type Arbitraries, eth68, eth69 } from './arbitraries.ts';

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

const ALL = [...cases(ETH68, eth68), ...cases(ETH69, eth69)];

describe('every message round-trips', () => {
  it('has an arbitrary for each message of both versions', () => {
    expect(ALL).toHaveLength(13 + 12);
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
