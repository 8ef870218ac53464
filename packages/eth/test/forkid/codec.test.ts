import { RLP } from '@ethereumjs/rlp';
import { hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EthError } from '../../src/errors.ts';
import {
  decodeEthEnrEntry,
  decodeForkId,
  encodeForkId,
  ethEnrEntry,
} from '../../src/forkid/codec.ts';
import type { ForkId } from '../../src/forkid/fork-id.ts';
import { checksumBytes } from '../../src/forkid/fork-id.ts';
import { ENCODING, MAX_U64 } from './vectors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function expectMalformed(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EthError);
    expect((err as EthError).code).toBe('MALFORMED');
    return;
  }
  expect.unreachable('expected EthError MALFORMED');
}

const forkIds: fc.Arbitrary<ForkId> = fc.record({
  hash: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  next: fc.bigInt({ min: 0n, max: MAX_U64 }),
});

describe('encodeForkId / decodeForkId (geth TestEncoding)', () => {
  it.each(ENCODING)('hash %s next %s -> %s', (hash, next, rlp) => {
    const id = { hash: checksumBytes(hash), next };
    expect(hex(encodeForkId(id))).toBe(rlp);
    expect(decodeForkId(hexToBytes(rlp))).toEqual(id);
  });

  it('round-trips any fork ID', () => {
    fc.assert(
      fc.property(forkIds, (id) => {
        expect(decodeForkId(encodeForkId(id))).toEqual(id);
      }),
    );
  });

  it.each([
    ['empty input', ''],
    ['a byte string', '84deadbeef'],
    ['one element', 'c584deadbeef'],
    ['three elements', 'c784deadbeef8001'],
    ['a 3-byte hash', 'c583deadbe80'],
    ['a 5-byte hash', 'c785deadbeef0080'],
    ['a 9-byte next', 'cf84deadbeef89010000000000000000'],
    ['next with a leading zero', 'c784deadbeef820001'],
    ['next as a single zero byte', 'c684deadbeef00'],
    ['next as a list', 'c684deadbeefc0'],
    ['trailing bytes', 'c684000000008000'],
    ['a truncated list', 'c784deadbeef80'],
    ['a non-canonical single byte', 'c784deadbeef8101'],
  ])('rejects %s with EthError MALFORMED', (_, input) => {
    expectMalformed(() => decodeForkId(hexToBytes(input)));
  });

  it('never throws anything but EthError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          decodeForkId(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(EthError);
        }
      }),
    );
  });

  it('throws TypeError/RangeError when asked to encode a bad fork ID', () => {
    expect(() => encodeForkId({ hash: new Uint8Array(3), next: 0n })).toThrow(RangeError);
    expect(() => encodeForkId({ hash: new Uint8Array(4), next: MAX_U64 + 1n })).toThrow(RangeError);
    expect(() => encodeForkId({ hash: new Uint8Array(4), next: 1 } as never)).toThrow(TypeError);
  });
});

describe('ethEnrEntry / decodeEthEnrEntry', () => {
  it('is the RLP list of one fork ID, as geth enrEntry', () => {
    const id = { hash: hexToBytes('deadbeef'), next: 0xbaddcafen };
    expect(hex(ethEnrEntry(id))).toBe('cbca84deadbeef84baddcafe');
    expect(decodeEthEnrEntry(ethEnrEntry(id))).toEqual(id);
  });

  it('round-trips any fork ID', () => {
    fc.assert(
      fc.property(forkIds, (id) => {
        expect(decodeEthEnrEntry(ethEnrEntry(id))).toEqual(id);
      }),
    );
  });

  it('ignores elements after the fork ID (forward compatibility)', () => {
    const raw = RLP.encode([[hexToBytes('01020304'), 7n], hexToBytes('ff'), [1n, 2n]]);
    expect(decodeEthEnrEntry(raw)).toEqual({ hash: hexToBytes('01020304'), next: 7n });
  });

  it.each([
    ['an empty list', 'c0'],
    ['a byte string', '8401020304'],
    ['a bare fork ID', 'c6840102030480'],
    ['a fork ID with a short hash', 'c6c58301020380'],
    ['invalid RLP', 'c9'],
  ])('rejects %s with EthError MALFORMED', (_, input) => {
    expectMalformed(() => decodeEthEnrEntry(hexToBytes(input)));
  });
});
