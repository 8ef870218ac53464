import { RLP } from '@ethereumjs/rlp';
import { bytesToIp, ipToBytes } from '@ethp2p/enode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RlpItem } from '../../src/wire/rlp.ts';
import { encodeBytes, encodeList, encodeUint, listItems, readItem } from '../../src/wire/rlp.ts';
import type { Nested } from './arbitraries.ts';
import { ipv6Text, nested } from './arbitraries.ts';

function toNested(it: RlpItem): Nested {
  return it.list ? listItems(it, 'x').map(toNested) : it.payload;
}

function encodeNested(n: Nested): Uint8Array {
  return Array.isArray(n) ? encodeList(n.map(encodeNested)) : encodeBytes(n);
}

describe('internal RLP reader and writer agree with @ethereumjs/rlp', () => {
  it('reads what RLP.encode writes, consuming exactly its bytes', () => {
    fc.assert(
      fc.property(nested, (n) => {
        const bytes = RLP.encode(n);
        const it = readItem(bytes, 0);
        expect(it.raw.length).toBe(bytes.length);
        expect(toNested(it)).toEqual(RLP.decode(bytes));
      }),
    );
  });

  it('writes what RLP.encode writes', () => {
    fc.assert(
      fc.property(nested, (n) => {
        expect(encodeNested(n)).toEqual(RLP.encode(n));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        expect(encodeUint(v)).toEqual(RLP.encode(v));
      }),
    );
  });

  it('writes list headers around the reserved prefix', () => {
    const big = new Uint8Array(300);
    const out = encodeList([encodeBytes(big)], 5);
    expect(out.subarray(5)).toEqual(RLP.encode([big]));
    expect(out.subarray(0, 5)).toEqual(new Uint8Array(5));
  });
});

describe('internal IP helpers', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['2001:DB8::1', '2001:db8::1'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'],
    ['1:0:0:1:0:0:1:1', '1::1:0:0:1:1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['::', '::'],
    ['::1', '::1'],
    ['::1.2.3.4', '::102:304'],
  ])('%s reads back as %s', (text, canonical) => {
    const bytes = ipToBytes(text);
    expect(bytes === undefined ? undefined : bytesToIp(bytes)).toBe(canonical);
  });

  it.each(['1.2.3', '01.2.3.4', 'fe80::1%eth0', 'example.com', ''])('rejects %j', (text) => {
    expect(ipToBytes(text)).toBeUndefined();
  });

  it('formats IPv6 like the WHATWG URL serializer (RFC 5952 compression)', () => {
    const notMapped = fc
      .uint8Array({ minLength: 16, maxLength: 16 })
      .filter(
        (b) => !(b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff),
      );
    fc.assert(
      fc.property(notMapped, (b) => {
        expect(bytesToIp(b)).toBe(ipv6Text(b));
        expect(ipToBytes(bytesToIp(b))).toEqual(b);
      }),
    );
  });
});
