import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiscReason, discReasonText } from '../../src/index.ts';
import { decodeDisconnect, encodeDisconnect } from '../../src/wire/index.ts';

/** geth's table (p2p/peer_error.go), as data. */
const TABLE: [number, keyof typeof DiscReason, string][] = [
  [0x00, 'Requested', 'disconnect requested'],
  [0x01, 'NetworkError', 'network error'],
  [0x02, 'ProtocolError', 'breach of protocol'],
  [0x03, 'UselessPeer', 'useless peer'],
  [0x04, 'TooManyPeers', 'too many peers'],
  [0x05, 'AlreadyConnected', 'already connected'],
  [0x06, 'IncompatibleVersion', 'incompatible p2p protocol version'],
  [0x07, 'InvalidIdentity', 'invalid node identity'],
  [0x08, 'ClientQuitting', 'client quitting'],
  [0x09, 'UnexpectedIdentity', 'unexpected identity'],
  [0x0a, 'Self', 'connected to self'],
  [0x0b, 'ReadTimeout', 'read timeout'],
  [0x10, 'SubprotocolError', 'subprotocol error'],
  [0xff, 'Invalid', 'invalid disconnect reason'],
];

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DiscReason', () => {
  it.each(TABLE)('0x%s is %s: "%s"', (code, name, text) => {
    expect(DiscReason[name]).toBe(code);
    expect(discReasonText(code)).toBe(text);
  });

  it('has exactly the reasons of the table', () => {
    expect(Object.keys(DiscReason)).toHaveLength(TABLE.length);
  });

  it('names an unknown code', () => {
    expect(discReasonText(0x0c)).toBe('unknown disconnect reason 12');
  });
});

describe('Disconnect codec', () => {
  it('encodes [reason]', () => {
    expect(hex(encodeDisconnect(DiscReason.Requested))).toBe('c180');
    expect(hex(encodeDisconnect(DiscReason.TooManyPeers))).toBe('c104');
    expect(hex(encodeDisconnect(DiscReason.SubprotocolError))).toBe('c110');
  });

  it('refuses to encode a code outside the table', () => {
    expect(() => encodeDisconnect(0x0c as DiscReason)).toThrow(RangeError);
  });

  it.each(TABLE.filter(([code]) => code !== 0xff))('round-trips 0x%s', (code) => {
    expect(decodeDisconnect(encodeDisconnect(code as DiscReason))).toBe(code);
  });

  it.each([
    ['list', 'c104', DiscReason.TooManyPeers],
    ['bare (legacy geth)', '04', DiscReason.TooManyPeers],
    ['list with zero as empty string', 'c180', DiscReason.Requested],
    ['bare zero as empty string', '80', DiscReason.Requested],
    ['bare zero byte', '00', DiscReason.Requested],
    ['list, extra elements ignored', 'c3100102', DiscReason.SubprotocolError],
    ['list, one-byte string form', 'c28110', DiscReason.SubprotocolError],
    ['bare, one-byte string form', '8110', DiscReason.SubprotocolError],
  ])('decodes the %s form', (_what, payload, reason) => {
    expect(decodeDisconnect(Buffer.from(payload, 'hex'))).toBe(reason);
  });

  it.each([
    ['empty', ''],
    ['empty list', 'c0'],
    ['truncated list', 'c204'],
    ['list in list', 'c1c0'],
    ['long list', 'f800'],
    ['two-byte integer', '820101'],
    ['code not in the table', 'c10c'],
    ['truncated one-byte string', '81'],
    ['a string', '83616263'],
  ])('decodes %s as Invalid', (_what, payload) => {
    expect(decodeDisconnect(Buffer.from(payload, 'hex'))).toBe(DiscReason.Invalid);
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        const reason = decodeDisconnect(data);
        expect(Object.values(DiscReason)).toContain(reason);
      }),
    );
  });
});
