import { RLP } from '@ethereumjs/rlp';
import { RlpError } from '@ethp2p/base/rlp';
import { concatBytes, hexToBytes } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { NeighborNode } from '../../src/wire/index.ts';
import {
  decodePacket,
  MAX_DATAGRAM_SIZE,
  MAX_PACKET_SIZE,
  WireError,
} from '../../src/wire/index.ts';
import { expectWireError, PRIV_B, seal } from './helpers.ts';
import { KEY_B, PING_HEX } from './vectors.ts';

type Input = Parameters<typeof RLP.encode>[0];
const h = (hex: string): Uint8Array => hexToBytes(hex);
const EP: Input = [h('7f000001'), 30303, 30303];
const EXP = 1136239445;
const KEY = h(KEY_B.pub);
const HASH = new Uint8Array(32).fill(7);
const body = (x: Input): Uint8Array => RLP.encode(x);

describe('decodePacket envelope checks', () => {
  it('rejects datagrams shorter than 98 bytes', () => {
    expectWireError(() => decodePacket(new Uint8Array(0)), 'TOO_SMALL');
    expectWireError(() => decodePacket(new Uint8Array(97)), 'TOO_SMALL');
  });

  it('rejects a 98-byte datagram with a correct hash but no body as MALFORMED', () => {
    expectWireError(() => decodePacket(seal(1, new Uint8Array(0))), 'MALFORMED');
  });

  it('checks the size before the hash', () => {
    // Garbage with a wrong hash: TOO_LARGE, not BAD_HASH, proves the order.
    expectWireError(() => decodePacket(new Uint8Array(MAX_DATAGRAM_SIZE + 1)), 'TOO_LARGE');
  });

  it('rejects a wrong hash', () => {
    const bytes = h(PING_HEX);
    bytes[0] = (bytes[0] as number) ^ 1;
    expectWireError(() => decodePacket(bytes), 'BAD_HASH');
  });

  it.each([0, 7, 255])('rejects unknown type %i', (type) => {
    expectWireError(() => decodePacket(seal(type, body([EXP]))), 'UNKNOWN_TYPE');
  });

  it.each([
    ['all-zero signature', new Uint8Array(65)],
    ['recovery id 2', concatBytes(h(PING_HEX).subarray(32, 96), Uint8Array.of(2))],
    ['recovery id 27', concatBytes(h(PING_HEX).subarray(32, 96), Uint8Array.of(27))],
  ])('rejects an unrecoverable signature (%s)', (_name, sig) => {
    expectWireError(() => decodePacket(seal(5, body([EXP]), sig)), 'BAD_SIGNATURE');
  });

  it('ignores bytes after the RLP list', () => {
    const { packet } = decodePacket(seal(5, concatBytes(body([EXP]), h('deadbeef'))));
    expect(packet).toEqual({ type: 'enr-request', expiration: BigInt(EXP), rest: [] });
  });
});

describe('decodePacket takes datagrams up to MAX_DATAGRAM_SIZE (1280, as geth) and no more', () => {
  const v4 = (i: number): Input => [Uint8Array.of(10, 0, 0, i), 30303, 30303, KEY];
  const v6 = (i: number): Input => [new Uint8Array(16).fill(0x20 + i), 30303, 30303, KEY];

  it('rejects an ethereumjs-style Neighbors with 16 IPv4 nodes (over 1280 bytes)', () => {
    const bytes = seal(4, body([Array.from({ length: 16 }, (_, i) => v4(i)), EXP]));
    expect(bytes.length).toBeGreaterThan(MAX_PACKET_SIZE);
    expectWireError(() => decodePacket(bytes), 'TOO_LARGE');
  });

  it('a Neighbors with 12 IPv6 nodes padded to exactly MAX_DATAGRAM_SIZE', () => {
    const rlp = body([Array.from({ length: 12 }, (_, i) => v6(i)), EXP]);
    const pad = new Uint8Array(MAX_DATAGRAM_SIZE - 98 - rlp.length);
    const { packet } = decodePacket(seal(4, concatBytes(rlp, pad)));
    const node = packet.type === 'neighbors' ? packet.nodes[0] : undefined;
    expect(node).toEqual<NeighborNode>({
      ip: '2020:2020:2020:2020:2020:2020:2020:2020',
      udp: 30303,
      tcp: 30303,
      publicKey: KEY,
    });
  });
});

describe('decodePacket endpoint forms', () => {
  it('reads an empty IP as undefined and IPv4-mapped IPv6 as IPv4', () => {
    const mapped = h('00000000000000000000ffff01020304');
    const { packet } = decodePacket(seal(1, body([4, [h(''), 0, 0], [mapped, 1, 2], EXP])));
    expect(packet.type === 'ping' && [packet.from, packet.to]).toEqual([
      { ip: undefined, udp: 0, tcp: 0 },
      { ip: '1.2.3.4', udp: 1, tcp: 2 },
    ]);
  });
});

describe('decodePacket rejects malformed bodies', () => {
  const cases: Array<[string, number, Uint8Array]> = [
    ['body is a string', 5, body(h('0102'))],
    ['ping with 3 elements', 1, body([4, EP, EP])],
    ['expiration of 9 bytes', 5, body([h('010000000000000000')])],
    ['expiration with a leading zero', 5, body([h('0001')])],
    ['expiration as a list', 5, body([[EXP]])],
    ['version of 9 bytes', 1, body([h('010000000000000000'), EP, EP, EXP])],
    ['udp port of 3 bytes', 1, body([4, [h('7f000001'), 70000, 1], EP, EXP])],
    ['tcp port with a leading zero', 1, body([4, [h('7f000001'), 1, h('0001')], EP, EXP])],
    ['ip of 5 bytes', 1, body([4, [h('7f00000101'), 1, 1], EP, EXP])],
    ['ip of 3 bytes', 1, body([4, [h('7f0000'), 1, 1], EP, EXP])],
    ['ip as a list', 1, body([4, [[], 1, 1], EP, EXP])],
    ['endpoint with 4 elements', 1, body([4, [h('7f000001'), 1, 1, 1], EP, EXP])],
    ['endpoint with 2 elements', 1, body([4, [h('7f000001'), 1], EP, EXP])],
    ['endpoint as a string', 1, body([4, h('7f000001'), EP, EXP])],
    ['enr-seq as a list (historical vectors)', 1, body([4, EP, EP, EXP, [1, 2]])],
    ['enr-seq of 9 bytes', 2, body([EP, HASH, EXP, h('010000000000000000')])],
    ['pong hash of 31 bytes', 2, body([EP, HASH.subarray(1), EXP])],
    ['pong hash of 33 bytes', 2, body([EP, concatBytes(HASH, h('00')), EXP])],
    ['findnode target of 63 bytes', 3, body([KEY.subarray(1), EXP])],
    ['findnode target of 65 bytes', 3, body([concatBytes(KEY, h('00')), EXP])],
    ['findnode without expiration', 3, body([KEY])],
    ['neighbors as a string', 4, body([h('01'), EXP])],
    ['neighbor key of 63 bytes', 4, body([[[h('7f000001'), 1, 1, KEY.subarray(1)]], EXP])],
    ['neighbor with 5 elements', 4, body([[[h('7f000001'), 1, 1, KEY, 1]], EXP])],
    ['neighbor with 3 elements', 4, body([[[h('7f000001'), 1, 1]], EXP])],
    ['enr-request without expiration', 5, body([])],
    ['enr-response hash of 31 bytes', 6, body([HASH.subarray(1), []])],
    ['enr-response record as a string', 6, body([HASH, h('c0')])],
    ['non-canonical single byte (81 05)', 5, h('c28105')],
    ['long form for a short string', 5, h('c3b80105')],
    ['long form for a short list', 5, h('f80185')],
    ['length with a leading zero', 5, h('f9000185')],
    ['list longer than the input', 5, h('c58443b9a3')],
    ['string longer than the list', 5, h('c28443b9a355')],
  ];
  it.each(cases)('%s', (_name, type, data) => {
    expectWireError(() => decodePacket(seal(type, data)), 'MALFORMED');
  });

  it.each([
    ['non-canonical single byte (81 05)', 5, h('c28105'), 'NON_CANONICAL'],
    ['list longer than the input', 5, h('c58443b9a3'), 'TRUNCATED'],
    ['ping with 3 elements', 1, body([4, EP, EP]), 'UNEXPECTED'],
  ] as const)('keeps the RLP error of a %s as the cause', (_name, type, data, code) => {
    let caught: unknown;
    try {
      decodePacket(seal(type, data));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WireError);
    expect((caught as WireError).code).toBe('MALFORMED');
    const cause = (caught as WireError).cause;
    expect(cause).toBeInstanceOf(RlpError);
    expect((cause as RlpError).code).toBe(code);
  });
});

describe('ENRResponse records are verified', () => {
  const record = Enr.sign({ seq: 5n, entries: { ip: '10.0.0.1', udp: 30303 } }, PRIV_B);

  it('decodes a valid record as an Enr', () => {
    const { packet } = decodePacket(seal(6, body([HASH, RLP.decode(record.encode()) as Input])));
    expect(packet.type === 'enr-response' && packet.record.encode()).toEqual(record.encode());
    expect(packet.type === 'enr-response' && packet.record.seq).toBe(5n);
  });

  it('rejects a record whose signature does not verify', () => {
    const raw = record.encode().slice();
    raw[10] = (raw[10] as number) ^ 1; // inside the 64-byte signature
    const bytes = seal(6, concatBytes(h('f8'), Uint8Array.of(33 + raw.length), h('a0'), HASH, raw));
    expectWireError(() => decodePacket(bytes), 'BAD_RECORD');
  });

  it('rejects a list that is not a record', () => {
    expectWireError(() => decodePacket(seal(6, body([HASH, [1, 2, 3]]))), 'BAD_RECORD');
  });
});
