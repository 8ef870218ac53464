import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { ipTo16 } from '../../src/db/ip.ts';
import {
  isRecordKey,
  localItemKey,
  nodeItemKey,
  nodeKey,
  prefixRange,
  splitNodeItemKey,
  splitNodeKey,
} from '../../src/db/keys.ts';

const id = hexToBytes('11'.repeat(32));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('ipTo16', () => {
  it.each([
    ['1.2.3.4', '00000000000000000000ffff01020304'],
    ['::ffff:1.2.3.4', '00000000000000000000ffff01020304'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
    ['::1.2.3.4', '00000000000000000000000001020304'],
  ])('%s', (ip, hex) => {
    expect(bytesToHex(ipTo16(ip))).toBe(hex);
  });

  it('maps 4 raw bytes and copies 16', () => {
    expect(bytesToHex(ipTo16(Uint8Array.of(10, 0, 0, 1)))).toBe('00000000000000000000ffff0a000001');
    expect(ipTo16(new Uint8Array(16)).length).toBe(16);
  });

  it.each(['', 'localhost', '1.2.3', '256.1.1.1', 'fe80::1%eth0', '1::2::3'])(
    'rejects %j',
    (ip) => {
      expect(() => ipTo16(ip)).toThrow(TypeError);
    },
  );
  it('rejects 5 bytes', () => {
    expect(() => ipTo16(new Uint8Array(5))).toThrow(TypeError);
  });
});

describe('keys', () => {
  it('match the go-ethereum layout', () => {
    const ip = ipTo16('1.2.3.4');
    expect(text(nodeKey(id))).toBe(`n:${text(id)}:v4`);
    expect(text(nodeItemKey(id, ip, 'lastpong'))).toBe(`n:${text(id)}:v4:${text(ip)}:lastpong`);
    expect(text(localItemKey(id, 'seq'))).toBe(`local:${text(id)}:seq`);
  });

  it('split what they build', () => {
    const ip = ipTo16('::1');
    const item = splitNodeItemKey(nodeItemKey(id, ip, 'findfail'));
    expect(item && bytesToHex(item.id)).toBe(bytesToHex(id));
    expect(item && bytesToHex(item.ip)).toBe(bytesToHex(ip));
    expect(item?.field).toBe('findfail');
    expect(splitNodeItemKey(nodeKey(id))).toBeUndefined();
    expect(isRecordKey(nodeKey(id))).toBe(true);
    expect(isRecordKey(nodeItemKey(id, ip, 'seq'))).toBe(false);
    expect(splitNodeKey(localItemKey(id, 'seq'))).toBeUndefined();
    expect(splitNodeKey(Uint8Array.of(0x6e, 0x3a, 1))).toBeUndefined();
  });

  it('prefixRange covers exactly the prefix', () => {
    expect(prefixRange(Uint8Array.of(1, 2))).toEqual({
      gte: Uint8Array.of(1, 2),
      lt: Uint8Array.of(1, 3),
    });
    expect(prefixRange(Uint8Array.of(1, 0xff))).toEqual({
      gte: Uint8Array.of(1, 0xff),
      lt: Uint8Array.of(2),
    });
    expect(prefixRange(Uint8Array.of(0xff))).toEqual({ gte: Uint8Array.of(0xff) });
  });
});
