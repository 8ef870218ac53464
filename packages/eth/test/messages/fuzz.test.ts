import { RLP } from '@ethereumjs/rlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageCodec } from '../../src/messages/codec.ts';
import {
  decodeMessage,
  ETH68,
  ETH69,
  ETH70,
  ETH71,
  ETH72,
  type EthVersion,
} from '../../src/messages/versions.ts';
import { CODEC_CASES } from './arbitraries.ts';
import { nested, throwsOnlyEthError } from './helpers.ts';

const ALL = CODEC_CASES;

/** Decodes; if that works, the input must be exactly what encoding the value gives. */
function decodeIsCanonical(codec: MessageCodec, data: Uint8Array): void {
  let value: unknown;
  try {
    value = codec.decode(data);
  } catch (err) {
    throwsOnlyEthError(() => {
      throw err;
    });
    return;
  }
  expect(codec.encode(value)).toEqual(data);
}

describe('decoders throw nothing but EthError MALFORMED on bad input', () => {
  it.each(ALL)('%s: random bytes', (_, codec) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => decodeIsCanonical(codec, data)),
      { numRuns: 150 },
    );
  });

  it.each(ALL)('%s: random RLP of any shape', (_, codec) => {
    fc.assert(
      fc.property(nested, (n) => decodeIsCanonical(codec, RLP.encode(n))),
      { numRuns: 150 },
    );
  });

  it.each(ALL)('%s: valid messages with one byte changed, cut or added', (_, codec, arb) => {
    const mutated = fc
      .tuple(arb, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 2 }))
      .map(([value, at, byte, kind]) => {
        const data = codec.encode(value);
        const i = data.length === 0 ? 0 : at % data.length;
        if (kind === 0) {
          const out = data.slice();
          out[i] = byte;
          return out;
        }
        if (kind === 1) return data.subarray(0, i);
        return Uint8Array.from([...data.subarray(0, i), byte, ...data.subarray(i)]);
      });
    fc.assert(
      fc.property(mutated, (data) => decodeIsCanonical(codec, data)),
      { numRuns: 100 },
    );
  });
});

describe('decodeMessage never throws anything but EthError', () => {
  it('on any code, size and payload', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(ETH68, ETH69, ETH70, ETH71, ETH72),
        fc.integer({ min: -1, max: 40 }),
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }),
          nested.map((n) => RLP.encode(n)),
        ),
        (version, code, data) => {
          throwsOnlyEthError(() =>
            decodeMessage(version as EthVersion<unknown>, { code, data, size: data.length }),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
