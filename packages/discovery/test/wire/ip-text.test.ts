import { bytesToIp, ipToBytes } from '@ethp2p/enode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv6Text } from './arbitraries.ts';

describe('IP text and bytes as the wire codec uses them', () => {
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
