import { describe, expect, it } from 'vitest';
import { NetRestrict } from '../src/netrestrict.ts';

describe('NetRestrict', () => {
  const restrict = NetRestrict.parse('10.0.0.0/8, 127.0.0.0/8,::1/128, 2001:db8::/32');

  it.each([
    ['10.0.0.1', true],
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['127.0.0.1', true],
    ['192.168.1.1', false],
    ['::1', true],
    ['::2', false],
    ['2001:db8:1::5', true],
    ['2001:db9::1', false],
    ['::ffff:10.1.2.3', true],
    ['::ffff:192.168.1.1', false],
  ])('contains(%s) is %s', (ip, want) => {
    expect(restrict.contains(ip)).toBe(want);
  });

  it('never contains non-IP text', () => {
    for (const text of ['', 'localhost', '10.0.0', '10.0.0.1/8', 'fe80::1%eth0']) {
      expect(restrict.contains(text)).toBe(false);
    }
    expect(restrict.contains(undefined as unknown as string)).toBe(false);
  });

  it('keeps IPv4 and IPv6 apart', () => {
    const all4 = new NetRestrict(['0.0.0.0/0']);
    expect(all4.contains('1.2.3.4')).toBe(true);
    expect(all4.contains('2001:db8::1')).toBe(false);
    const all6 = new NetRestrict(['::/0']);
    expect(all6.contains('2001:db8::1')).toBe(true);
    expect(all6.contains('1.2.3.4')).toBe(false);
  });

  it('masks host bits and checks partial bytes', () => {
    const r = new NetRestrict(['172.16.5.4/12', '192.168.1.128/25']);
    expect(r.networks).toEqual(['172.16.0.0/12', '192.168.1.128/25']);
    expect(r.contains('172.31.255.255')).toBe(true);
    expect(r.contains('172.32.0.0')).toBe(false);
    expect(r.contains('192.168.1.129')).toBe(true);
    expect(r.contains('192.168.1.127')).toBe(false);
  });

  it('reads an IPv4-mapped network as IPv4', () => {
    const r = new NetRestrict(['::ffff:10.0.0.0/104']);
    expect(r.networks).toEqual(['10.0.0.0/8']);
    expect(r.contains('10.9.9.9')).toBe(true);
  });

  it('parses empty entries and prints itself back', () => {
    expect(NetRestrict.parse('').size).toBe(0);
    expect(NetRestrict.parse(' , ,').contains('10.0.0.1')).toBe(false);
    expect(restrict.toString()).toBe('10.0.0.0/8,127.0.0.0/8,::1/128,2001:db8::/32');
    expect(NetRestrict.parse(restrict.toString()).networks).toEqual(restrict.networks);
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0.0/x',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    'foo/8',
    '/8',
    '10.0.0/8',
    '10.0.0.0/1e1',
  ])('rejects %j with a TypeError', (cidr) => {
    expect(() => new NetRestrict([cidr])).toThrow(TypeError);
  });

  it.each(['10.0.0.0/33', '::/129', '::ffff:10.0.0.0/95'])(
    'rejects %j with a RangeError',
    (cidr) => {
      expect(() => new NetRestrict([cidr])).toThrow(RangeError);
    },
  );

  it('rejects input that is not text', () => {
    expect(() => NetRestrict.parse(5 as unknown as string)).toThrow(TypeError);
    expect(() => new NetRestrict(null as unknown as string[])).toThrow(TypeError);
    expect(() => new NetRestrict([7 as unknown as string])).toThrow(TypeError);
  });
});
