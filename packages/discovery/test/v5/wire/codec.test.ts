/** The discv5 packet frame and message codecs: round trips, limits and typed errors. */

import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { thrownError } from '@ethp2p/base/testing';
import { concatBytes, hexToBytes } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHandshakeAuth,
  decodeMessage,
  decodePacket,
  encodeHeaderData,
  encodeMessage,
  encodeMessagePacket,
  MAX_PACKET_BYTES,
  maskPacket,
  WireV5Error,
} from '../../../src/v5/wire/index.ts';
import { message } from './arbitraries.ts';
import * as V from './vectors.ts';

const idA = hexToBytes(V.NODE_A.id);
const idB = hexToBytes(V.NODE_B.id);

function expectWireV5Error(fn: () => unknown, code: string): void {
  thrownError(fn, WireV5Error, code);
}

describe('messages', () => {
  it('round-trip every kind', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('reject an empty plaintext and unknown types with UNKNOWN_MESSAGE', () => {
    expectWireV5Error(() => decodeMessage(new Uint8Array(0)), 'UNKNOWN_MESSAGE');
    expectWireV5Error(() => decodeMessage(Uint8Array.of(0x07, 0xc0)), 'UNKNOWN_MESSAGE');
    expectWireV5Error(() => decodeMessage(Uint8Array.of(0x00, 0xc0)), 'UNKNOWN_MESSAGE');
  });

  it('reject extra fields, trailing bytes, long request ids and big distances with MALFORMED', () => {
    const ping = encodeMessage({ type: 'ping', reqId: Uint8Array.of(1), enrSeq: 1n });
    expectWireV5Error(() => decodeMessage(concatBytes(ping, Uint8Array.of(0))), 'MALFORMED');
    const extra = encodeList([encodeBytes(Uint8Array.of(1)), encodeUint(1), encodeUint(1)]);
    expectWireV5Error(() => decodeMessage(concatBytes(Uint8Array.of(1), extra)), 'MALFORMED');
    const longId = encodeList([encodeBytes(new Uint8Array(9)), encodeUint(1)]);
    expectWireV5Error(() => decodeMessage(concatBytes(Uint8Array.of(1), longId)), 'MALFORMED');
    const far = encodeList([encodeBytes(Uint8Array.of(1)), encodeList([encodeUint(257)])]);
    expectWireV5Error(() => decodeMessage(concatBytes(Uint8Array.of(3), far)), 'MALFORMED');
    const badIp = encodeList([
      encodeBytes(Uint8Array.of(1)),
      encodeUint(1),
      encodeBytes(new Uint8Array(5)),
      encodeUint(1),
    ]);
    expectWireV5Error(() => decodeMessage(concatBytes(Uint8Array.of(2), badIp)), 'MALFORMED');
  });

  it('refuse to encode out-of-range fields', () => {
    expect(() => encodeMessage({ type: 'ping', reqId: new Uint8Array(9), enrSeq: 0n })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeMessage({ type: 'findnode', reqId: new Uint8Array(1), distances: [257] }),
    ).toThrow(RangeError);
    expect(() =>
      encodeMessage({
        type: 'nodes',
        reqId: new Uint8Array(1),
        total: 1,
        records: [Uint8Array.of(0x81)],
      }),
    ).toThrow(RangeError);
  });
});

describe('packet frame', () => {
  const frame = { destId: idB, maskingIv: new Uint8Array(16).fill(7), nonce: new Uint8Array(12) };
  const key = new Uint8Array(16).fill(1);

  it('rejects packets below 63 and above 1280 bytes', () => {
    expectWireV5Error(() => decodePacket(new Uint8Array(62), idB), 'TOO_SMALL');
    expectWireV5Error(() => decodePacket(new Uint8Array(MAX_PACKET_BYTES + 1), idB), 'TOO_LARGE');
    expect(() =>
      encodeMessagePacket(frame, idA, { key, plaintext: new Uint8Array(MAX_PACKET_BYTES) }),
    ).toThrow(RangeError);
  });

  it('rejects a packet masked for another node with BAD_HEADER', () => {
    const packet = encodeMessagePacket(frame, idA, { key, plaintext: new Uint8Array(20) });
    expect(decodePacket(packet, idB).kind).toBe('message');
    expectWireV5Error(() => decodePacket(packet, idA), 'BAD_HEADER');
  });

  it('rejects an unknown flag, a bad authdata size and a short handshake authdata', () => {
    const iv = frame.maskingIv;
    const body = new Uint8Array(48);
    const headerData = encodeHeaderData(iv, { flag: 'message', nonce: frame.nonce, authdata: idA });
    const flagged = headerData.slice();
    flagged[16 + 8] = 3;
    expectWireV5Error(() => decodePacket(maskPacket(idB, flagged, body), idB), 'BAD_FLAG');
    const whoareyou = encodeHeaderData(iv, {
      flag: 'whoareyou',
      nonce: frame.nonce,
      authdata: new Uint8Array(25),
    });
    expectWireV5Error(() => decodePacket(maskPacket(idB, whoareyou, body), idB), 'BAD_AUTHDATA');
    const oversize = headerData.slice();
    oversize[16 + 21] = 0xff;
    expectWireV5Error(() => decodePacket(maskPacket(idB, oversize, body), idB), 'BAD_AUTHDATA');
    expectWireV5Error(() => decodeHandshakeAuth(new Uint8Array(33)), 'BAD_AUTHDATA');
    const head = new Uint8Array(34);
    head[32] = 64;
    head[33] = 33;
    expectWireV5Error(
      () => decodeHandshakeAuth(concatBytes(head, new Uint8Array(96))),
      'BAD_AUTHDATA',
    );
  });
});
