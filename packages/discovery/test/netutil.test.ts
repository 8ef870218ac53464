import { describe, expect, it } from 'vitest';
import {
  checkRelayIp,
  DistinctNetSet,
  isLan,
  isLoopback,
  isSpecialNetwork,
  isUnspecified,
  parseIp,
  relayIpChecker,
} from '../src/netutil.ts';

describe('parseIp', () => {
  it.each([
    ['1.2.3.4', [1, 2, 3, 4]],
    ['::ffff:10.0.0.1', [10, 0, 0, 1]],
    ['::1', [...new Array(15).fill(0), 1]],
    ['2001:db8::1:0', [0x20, 0x01, 0x0d, 0xb8, ...new Array(8).fill(0), 0, 1, 0, 0]],
    ['fe80::1.2.3.4', [0xfe, 0x80, ...new Array(10).fill(0), 1, 2, 3, 4]],
  ])('parses %s', (text, bytes) => {
    expect([...(parseIp(text) ?? [])]).toEqual(bytes);
  });

  it.each(['', 'localhost', '1.2.3', '256.1.1.1', 'fe80::1%eth0', '1::2::3'])(
    'rejects %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );
});

// [ip, lan, loopback, special, unspecified]
const CLASSES: [string, boolean, boolean, boolean, boolean][] = [
  ['127.0.0.1', true, true, false, false],
  ['127.255.0.9', true, true, false, false],
  ['::1', true, true, false, false],
  ['::ffff:127.0.0.1', true, true, false, false],
  ['10.1.2.3', true, false, false, false],
  ['172.16.0.1', true, false, false, false],
  ['172.31.255.255', true, false, false, false],
  ['172.32.0.1', false, false, false, false],
  ['192.168.7.7', true, false, false, false],
  ['169.254.1.1', true, false, false, false],
  ['fc00::1', true, false, false, false],
  ['fdff::1', true, false, false, false],
  ['fe80::1', true, false, false, false],
  ['febf::1', true, false, false, false],
  ['fec0::1', false, false, false, false],
  ['0.0.0.0', false, false, true, true],
  ['::', false, false, false, true],
  ['0.1.2.3', false, false, true, false],
  ['192.0.2.1', false, false, true, false],
  ['198.51.100.200', false, false, true, false],
  ['203.0.113.5', false, false, true, false],
  ['198.18.0.1', false, false, true, false],
  ['198.19.255.255', false, false, true, false],
  ['198.20.0.1', false, false, false, false],
  ['255.255.255.255', false, false, true, false],
  ['224.0.0.1', false, false, true, false],
  ['239.255.255.255', false, false, true, false],
  ['192.88.99.1', false, false, true, false],
  ['2001:db8::1', false, false, true, false],
  ['2001:db9::1', false, false, false, false],
  ['2002::1', false, false, true, false],
  ['2001::1', false, false, true, false],
  ['ff02::1', false, false, true, false],
  ['100::5', false, false, true, false],
  ['8.8.8.8', false, false, false, false],
  ['2a01:4f8::1', false, false, false, false],
  ['not an ip', false, false, false, false],
];

describe('address classes', () => {
  it.each(CLASSES)('%s: lan %s, loopback %s, special %s, unspecified %s', (ip, lan, lo, sp, un) => {
    expect(isLan(ip)).toBe(lan);
    expect(isLoopback(ip)).toBe(lo);
    expect(isSpecialNetwork(ip)).toBe(sp);
    expect(isUnspecified(ip)).toBe(un);
  });
});

describe('checkRelayIp', () => {
  it.each([
    // sender, relayed ip, result
    ['8.8.8.8', '1.2.3.4', undefined],
    ['127.0.0.1', '1.2.3.4', undefined],
    ['8.8.8.8', 'bogus', 'invalid ip'],
    ['8.8.8.8', '0.0.0.0', 'zero address'],
    ['127.0.0.1', '::', 'zero address'],
    ['127.0.0.1', '192.0.2.1', 'special network'],
    ['10.0.0.1', '2001:db8::1', 'special network'],
    ['8.8.8.8', '224.0.0.1', 'special network'],
    ['8.8.8.8', '127.0.0.1', 'loopback address from non-loopback host'],
    ['10.0.0.1', '127.0.0.1', 'loopback address from non-loopback host'],
    ['bogus', '127.0.0.1', 'loopback address from non-loopback host'],
    ['127.0.0.1', '127.0.0.1', undefined],
    ['::1', '127.0.0.2', undefined],
    ['8.8.8.8', '192.168.1.1', 'lan address from wan host'],
    ['2a01:4f8::1', 'fe80::1', 'lan address from wan host'],
    ['192.168.1.1', '10.0.0.1', undefined],
    ['127.0.0.1', '10.0.0.1', undefined],
    ['fc00::1', '169.254.1.1', undefined],
  ])('from %s relaying %s: %s', (sender, ip, want) => {
    expect(checkRelayIp(sender, ip)).toBe(want);
    expect(relayIpChecker(sender)(ip)).toBe(want);
  });
});

describe('DistinctNetSet', () => {
  it('limits addresses per /24 and frees room on remove', () => {
    const set = new DistinctNetSet({ subnetBits: 24, limit: 2 });
    expect(set.add('1.2.3.4')).toBe(true);
    expect(set.add('1.2.3.5')).toBe(true);
    expect(set.add('1.2.3.6')).toBe(false);
    expect(set.add('1.2.4.1')).toBe(true);
    expect(set.size).toBe(3);
    expect(set.count('1.2.3.200')).toBe(2);
    expect(set.contains('1.2.3.99')).toBe(true);
    expect(set.contains('1.2.5.1')).toBe(false);
    set.remove('1.2.3.77'); // any address of the network frees one slot
    expect(set.count('1.2.3.0')).toBe(1);
    expect(set.add('1.2.3.6')).toBe(true);
    set.remove('9.9.9.9');
    set.remove('bogus');
    expect(set.size).toBe(3);
  });

  it('uses the same prefix length for IPv6, as geth does (/24)', () => {
    const set = new DistinctNetSet({ subnetBits: 24, limit: 1 });
    expect(set.add('2a01:4f8::1')).toBe(true);
    expect(set.add('2a01:4ff:1::1')).toBe(false); // same first 24 bits
    expect(set.add('2a01:500::1')).toBe(true);
    expect(set.add('::ffff:1.2.3.4')).toBe(true); // counted as IPv4 1.2.3.0/24
    expect(set.add('1.2.3.5')).toBe(false);
  });

  it('keeps IPv4 and IPv6 networks apart', () => {
    const set = new DistinctNetSet({ subnetBits: 24, limit: 1 });
    expect(set.add('1.2.3.4')).toBe(true);
    expect(set.add('102:300::1')).toBe(true); // same leading bytes, other family
  });

  it('masks partial bytes of the prefix', () => {
    const set = new DistinctNetSet({ subnetBits: 15, limit: 1 });
    expect(set.add('198.18.0.1')).toBe(true);
    expect(set.add('198.19.200.1')).toBe(false);
    expect(set.add('198.20.0.1')).toBe(true);
  });

  it('rejects bad arguments', () => {
    expect(() => new DistinctNetSet({ subnetBits: 33, limit: 1 })).toThrow(RangeError);
    expect(() => new DistinctNetSet({ subnetBits: 24, limit: -1 })).toThrow(RangeError);
    expect(() => new DistinctNetSet({ subnetBits: 24, limit: 1 }).add('bogus')).toThrow(TypeError);
  });
});
