import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import type { NeighborNode, PacketInput } from '../../src/wire/index.ts';
import {
  decodePacket,
  encodePacket,
  MAX_NEIGHBORS_PER_PACKET,
  MAX_PACKET_SIZE,
} from '../../src/wire/index.ts';
import { PRIV_B } from './helpers.ts';

const EP = { ip: '127.0.0.1', udp: 30303, tcp: 30303 };
const MAX = 2n ** 64n - 1n;
const ping = (over: Record<string, unknown> = {}): PacketInput =>
  ({ type: 'ping', version: 4n, from: EP, to: EP, expiration: 1n, ...over }) as PacketInput;

/** A Neighbors entry of the largest wire size: IPv6 and 2-byte ports. */
const bigNode: NeighborNode = {
  ip: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  udp: 65535,
  tcp: 65535,
  publicKey: new Uint8Array(64).fill(0xff),
};
const neighbors = (n: number): PacketInput => ({
  type: 'neighbors',
  nodes: Array.from({ length: n }, () => bigNode),
  expiration: MAX,
});

describe('encodePacket size limit', () => {
  it('fits MAX_NEIGHBORS_PER_PACKET maximal IPv6 entries in MAX_PACKET_SIZE', () => {
    const { bytes } = encodePacket(neighbors(MAX_NEIGHBORS_PER_PACKET), PRIV_B);
    expect(bytes.length).toBeLessThanOrEqual(MAX_PACKET_SIZE);
  });

  it('throws a RangeError past MAX_PACKET_SIZE', () => {
    expect(() => encodePacket(neighbors(MAX_NEIGHBORS_PER_PACKET + 2), PRIV_B)).toThrow(RangeError);
  });
});

describe('encodePacket endpoint forms', () => {
  const ipBytes = (ip: string | undefined): string => {
    const { bytes } = encodePacket(ping({ from: { ip, udp: 1, tcp: 2 } }), PRIV_B);
    // type(1) ‖ list header ‖ version 04 ‖ endpoint list header ‖ ip
    return bytesToHex(bytes.subarray(100));
  };

  it('writes IPv4 and IPv4-mapped IPv6 as 4 bytes', () => {
    expect(ipBytes('1.2.3.4').startsWith('c78401020304')).toBe(true);
    expect(ipBytes('::ffff:1.2.3.4').startsWith('c78401020304')).toBe(true);
  });

  it('writes IPv6 as 16 bytes and an unknown IP as the empty string', () => {
    expect(ipBytes('2001:db8::1').startsWith(`d39020010db8${'0'.repeat(23)}1`)).toBe(true);
    expect(ipBytes(undefined).startsWith('c3800102')).toBe(true);
  });

  it('round-trips through decode', () => {
    const { bytes } = encodePacket(ping({ to: { ip: '::FFFF:1.2.3.4', udp: 1, tcp: 2 } }), PRIV_B);
    const { packet } = decodePacket(bytes);
    expect(packet.type === 'ping' && packet.to.ip).toBe('1.2.3.4');
  });
});

describe('encodePacket rejects misuse with TypeError or RangeError', () => {
  const cases: Array<[string, PacketInput, typeof TypeError | typeof RangeError]> = [
    ['rest without enrSeq', ping({ rest: [hexToBytes('01')] }), TypeError],
    ['rest item of two RLP items', ping({ enrSeq: 1n, rest: [hexToBytes('0102')] }), RangeError],
    ['rest item of bad RLP', ping({ enrSeq: 1n, rest: [hexToBytes('8101')] }), RangeError],
    ['empty rest item', ping({ enrSeq: 1n, rest: [new Uint8Array(0)] }), RangeError],
    ['bad IP text', ping({ from: { ip: '1.2.3', udp: 1, tcp: 1 } }), TypeError],
    ['IPv6 zone', ping({ from: { ip: 'fe80::1%eth0', udp: 1, tcp: 1 } }), TypeError],
    ['port above 65535', ping({ to: { ip: undefined, udp: 65536, tcp: 1 } }), RangeError],
    ['fractional port', ping({ to: { ip: undefined, udp: 1.5, tcp: 1 } }), RangeError],
    ['negative expiration', ping({ expiration: -1n }), RangeError],
    ['expiration above 2^64-1', ping({ expiration: MAX + 1n }), RangeError],
    ['number expiration', ping({ expiration: 1 }), TypeError],
    ['enrSeq above 2^64-1', ping({ enrSeq: MAX + 1n }), RangeError],
    ['unknown type', { type: 'hello' } as unknown as PacketInput, TypeError],
    [
      'findnode target of 63 bytes',
      { type: 'findnode', target: new Uint8Array(63), expiration: 1n },
      RangeError,
    ],
    [
      'pong hash of 31 bytes',
      { type: 'pong', to: EP, pingHash: new Uint8Array(31), expiration: 1n },
      RangeError,
    ],
    [
      'neighbor key of 65 bytes',
      { type: 'neighbors', nodes: [{ ...EP, publicKey: new Uint8Array(65) }], expiration: 1n },
      RangeError,
    ],
  ];
  it.each(cases)('%s', (_name, packet, ErrorType) => {
    expect(() => encodePacket(packet, PRIV_B)).toThrow(ErrorType);
  });

  it('rejects a private key that is not 32 bytes', () => {
    expect(() => encodePacket(ping(), new Uint8Array(31))).toThrow(RangeError);
  });
});
