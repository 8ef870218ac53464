import { RLP } from '@ethereumjs/rlp';
import { describe, expect, it } from 'vitest';
import {
  DiscReason,
  decodeMsg,
  expectMsg,
  MsgError,
  msgPipe,
  PeerError,
  sendItems,
  sendMsg,
} from '../src/index.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('send helpers', () => {
  it('sendMsg RLP-encodes a value; sendItems sends the list of its items', async () => {
    const [a, b] = msgPipe();
    const sent = Promise.all([
      sendMsg(a, 0x05, [1, Uint8Array.of(0xaa)]),
      sendItems(a, 0x02),
      sendItems(a, 0x06, 'eth', 68n),
    ]);
    expect(hex((await b.readMsg()).data)).toBe('c30181aa');
    expect(hex((await b.readMsg()).data)).toBe('c0');
    const third = await b.readMsg();
    expect(third.code).toBe(0x06);
    expect(RLP.decode(third.data)).toEqual([new TextEncoder().encode('eth'), Uint8Array.of(68)]);
    await sent;
  });
});

describe('send helpers: strings', () => {
  it('sends a string as UTF-8, even one that looks like hex', async () => {
    const [a, b] = msgPipe();
    const sent = sendItems(a, 0x01, '0x01');
    expect(hex((await b.readMsg()).data)).toBe('c58430783031');
    await sent;
  });
});

describe('decodeMsg', () => {
  it('decodes the payload', () => {
    const msg = { code: 1, data: RLP.encode([1, [2]]), size: 4, receivedAt: 0 };
    expect(decodeMsg(msg)).toEqual([Uint8Array.of(1), [Uint8Array.of(2)]]);
    expect(decodeMsg(Uint8Array.of(0x05))).toEqual(Uint8Array.of(5));
  });

  it.each([
    ['truncated', '82ff'],
    ['trailing bytes', 'c00c'],
    ['empty', ''],
    ['non-canonical (a single byte wrapped)', '8105'],
    ['non-canonical (long form for a short string)', 'b80161'],
  ])('throws PeerError(ProtocolError) on %s RLP', (_what, payload) => {
    const msg = { code: 0x11, data: Buffer.from(payload, 'hex'), size: 0, receivedAt: 0 };
    let caught: unknown;
    try {
      decodeMsg(msg);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PeerError);
    expect((caught as PeerError).reason).toBe(DiscReason.ProtocolError);
    expect((caught as PeerError).message).toBe('invalid message 0x11: bad RLP');
  });
});

describe('expectMsg', () => {
  it('returns the expected message', async () => {
    const [a, b] = msgPipe();
    const sent = sendItems(a, 3, 7);
    expect((await expectMsg(b, 3, [7])).code).toBe(3);
    await sent;
  });

  it('throws MsgError UNEXPECTED_MSG on another code or payload', async () => {
    const [a, b] = msgPipe();
    const sent = Promise.all([sendItems(a, 3), sendItems(a, 4, 1)]);
    await expect(expectMsg(b, 4)).rejects.toMatchObject({ code: 'UNEXPECTED_MSG' });
    await expect(expectMsg(b, 4, [2])).rejects.toBeInstanceOf(MsgError);
    await sent;
  });
});
