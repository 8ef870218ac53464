import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODEC_CASES } from './arbitraries.ts';

const ALL = CODEC_CASES;

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
