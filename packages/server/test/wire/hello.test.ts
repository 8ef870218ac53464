import { RLP } from '@ethereumjs/rlp';
import { thrownError } from '@ethp2p/base/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiscReason, PeerError } from '../../src/index.ts';
import { decodeHello, encodeHello, type Hello } from '../../src/wire/index.ts';

const id = Uint8Array.from({ length: 64 }, (_, i) => i + 1);
const hello: Hello = {
  version: 5,
  name: 'ethp2p/test',
  caps: [
    { name: 'eth', version: 68 },
    { name: 'eth', version: 69 },
    { name: 'snap', version: 1 },
  ],
  listenPort: 0,
  id,
};

function expectPeerError(fn: () => unknown, reason: DiscReason): PeerError {
  const err = thrownError(fn, PeerError);
  expect(err.reason).toBe(reason);
  expect(err.remoteRequested).toBe(false);
  return err;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Hello codec', () => {
  it('round-trips', () => {
    expect(decodeHello(encodeHello(hello))).toEqual(hello);
  });

  it('encodes the exact RLP layout geth expects, with listenPort 0 as the empty string', () => {
    const decoded = RLP.decode(encodeHello(hello)) as unknown[];
    expect(decoded).toEqual([
      Uint8Array.of(5),
      enc('ethp2p/test'),
      [
        [enc('eth'), Uint8Array.of(68)],
        [enc('eth'), Uint8Array.of(69)],
        [enc('snap'), Uint8Array.of(1)],
      ],
      new Uint8Array(0),
      id,
    ]);
  });

  it('sorts caps by name, then version', () => {
    const shuffled = {
      ...hello,
      caps: [
        { name: 'snap', version: 1 },
        { name: 'eth', version: 69 },
        { name: 'bzz', version: 2 },
        { name: 'eth', version: 68 },
      ],
    };
    expect(decodeHello(encodeHello(shuffled)).caps).toEqual([
      { name: 'bzz', version: 2 },
      { name: 'eth', version: 68 },
      { name: 'eth', version: 69 },
      { name: 'snap', version: 1 },
    ]);
  });

  it('ignores extra fields in the Hello and in caps', () => {
    const data = RLP.encode([
      5,
      enc('future'),
      [[enc('eth'), 68, enc('extra')]],
      30303,
      id,
      enc('extra'),
      [1, 2, 3],
    ]);
    expect(decodeHello(data)).toEqual({
      version: 5,
      name: 'future',
      caps: [{ name: 'eth', version: 68 }],
      listenPort: 30303,
      id,
    });
  });

  it('refuses a Hello with more fields, caps or cap fields than it reads (RLP bomb)', () => {
    const cap = [enc('eth'), 68];
    const extras = (n: number) => Array.from({ length: n }, () => 1);
    const caps = (n: number) => Array.from({ length: n }, () => cap);
    // At the limits: decoded.
    expect(
      decodeHello(RLP.encode([5, enc('x'), caps(64), 0, id, ...extras(11)])).caps,
    ).toHaveLength(64);
    expect(decodeHello(RLP.encode([5, enc('x'), [[...cap, ...extras(6)]], 0, id])).caps).toEqual([
      { name: 'eth', version: 68 },
    ]);
    // One past: ProtocolError, naming the limit (the rest is not read).
    for (const data of [
      RLP.encode([5, enc('x'), [cap], 0, id, ...extras(1500)]),
      RLP.encode([5, enc('x'), caps(65), 0, id]),
      RLP.encode([5, enc('x'), [[...cap, ...extras(7)]], 0, id]),
    ]) {
      const err = expectPeerError(() => decodeHello(data), DiscReason.ProtocolError);
      expect(err.message).toMatch(/more than (16|64|8) elements/);
    }
  });

  it('accepts a high p2p version and a non-UTF-8 name', () => {
    const data = RLP.encode([99, Uint8Array.of(0xff, 0xfe), [], 0, id]);
    const got = decodeHello(data);
    expect(got.version).toBe(99);
    expect(got.name).toBe('\ufffd\ufffd');
  });

  it.each([
    ['bad RLP', Uint8Array.of(0xf8)],
    ['trailing bytes', Uint8Array.of(...encodeHello(hello), 0x00)],
    ['not a list', RLP.encode(enc('hello'))],
    ['too short', RLP.encode([5, enc('x'), [], 0])],
    ['version is a list', RLP.encode([[5], enc('x'), [], 0, id])],
    ['name is a list', RLP.encode([5, [], [], 0, id])],
    ['caps not a list', RLP.encode([5, enc('x'), enc('eth'), 0, id])],
    ['cap not a list', RLP.encode([5, enc('x'), [enc('eth')], 0, id])],
    ['cap missing version', RLP.encode([5, enc('x'), [[enc('eth')]], 0, id])],
    ['cap version a list', RLP.encode([5, enc('x'), [[enc('eth'), []]], 0, id])],
    ['version with leading zeros', RLP.encode([Uint8Array.of(0, 5), enc('x'), [], 0, id])],
    ['version over 8 bytes', RLP.encode([new Uint8Array(9).fill(1), enc('x'), [], 0, id])],
    ['id is a list', RLP.encode([5, enc('x'), [], 0, [id]])],
  ])('rejects %s with ProtocolError', (_what, data) => {
    const err = expectPeerError(() => decodeHello(data), DiscReason.ProtocolError);
    expect(err.code).toBe('ProtocolError');
    expect(err.message).toMatch(/^invalid hello: /);
  });

  it('rejects a Hello over 2 KiB with ProtocolError and accepts one of exactly 2 KiB', () => {
    const sized = (n: number): Uint8Array => {
      for (let len = n - 200; len < n; len++) {
        const data = encodeHello({ ...hello, name: 'x'.repeat(len) });
        if (data.length === n) return data;
      }
      throw new Error(`no Hello of ${n} bytes`);
    };
    expect(decodeHello(sized(2048)).version).toBe(5);
    const err = expectPeerError(() => decodeHello(sized(2049)), DiscReason.ProtocolError);
    expect(err.message).toMatch(/^message too big/);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['63 bytes', new Uint8Array(63).fill(1)],
    ['65 bytes', new Uint8Array(65).fill(1)],
    ['all zero', new Uint8Array(64)],
  ])('rejects an ID that is %s with InvalidIdentity', (_what, badId) => {
    const data = RLP.encode([5, enc('x'), [], 0, badId]);
    const err = expectPeerError(() => decodeHello(data), DiscReason.InvalidIdentity);
    expect(err.code).toBe('InvalidIdentity');
  });

  it('refuses to encode a bad ID, version or port', () => {
    expect(() => encodeHello({ ...hello, id: new Uint8Array(33) })).toThrow(RangeError);
    expect(() => encodeHello({ ...hello, version: -1 })).toThrow(RangeError);
    expect(() => encodeHello({ ...hello, listenPort: 1.5 })).toThrow(RangeError);
    expect(() => encodeHello({ ...hello, caps: [{ name: 'eth', version: Number.NaN }] })).toThrow(
      RangeError,
    );
  });

  it('round-trips arbitrary Hellos (property)', () => {
    const cap = fc.record({ name: fc.string({ maxLength: 8 }), version: fc.nat() });
    fc.assert(
      fc.property(
        fc.record({
          version: fc.nat(),
          name: fc.string({ maxLength: 40 }),
          caps: fc.array(cap, { maxLength: 6 }),
          listenPort: fc.nat({ max: 65535 }),
          id: fc.uint8Array({ minLength: 64, maxLength: 64 }).filter((b) => b.some((x) => x)),
        }),
        (h) => {
          const got = decodeHello(encodeHello(h));
          expect(got.version).toBe(h.version);
          expect(got.name).toBe(h.name);
          expect(got.listenPort).toBe(h.listenPort);
          expect(got.id).toEqual(h.id);
          expect(got.caps).toEqual(
            [...h.caps].sort((a, b) =>
              a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1,
            ),
          );
        },
      ),
    );
  });

  it('never throws anything but PeerError on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        try {
          decodeHello(data);
        } catch (err) {
          expect(err).toBeInstanceOf(PeerError);
        }
      }),
    );
  });
});
