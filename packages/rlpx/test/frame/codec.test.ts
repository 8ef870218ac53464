import { RLP } from '@ethereumjs/rlp';
import { generatePrivateKey, publicKey, randomBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { FrameCodec } from '../../src/frame/index.ts';
import { deriveSecrets } from '../../src/handshake/index.ts';
import { MAX_FRAME_SIZE } from '../../src/index.ts';
import { codecPair, hex, readFrame, secretsFor, testBytes } from './helpers.ts';

const SIZES = [0, 1, 15, 16, 17, 1024, 1 << 20];
const IMPLS = ['napi', 'js'] as const;

describe('FrameCodec round trips', () => {
  it.each(SIZES)('carries a %i-byte payload both ways without snappy', (size) => {
    const { a, b } = codecPair();
    const payload = testBytes(size, size + 1);
    const ab = a.encode(3, payload);
    expect(ab.length).toBe(32 + Math.ceil((size + 1) / 16) * 16 + 16);
    const got = readFrame(b, ab);
    expect([got.code, hex(got.data), got.wireSize]).toEqual([3, hex(payload), ab.length]);
    const back = readFrame(a, b.encode(4, payload));
    expect([back.code, hex(back.data)]).toEqual([4, hex(payload)]);
  });

  describe.each(IMPLS)('with snappy (%s)', (impl) => {
    it.each(SIZES)('carries a %i-byte payload both ways', (size) => {
      const { a, b } = codecPair({ snappy: impl });
      a.enableSnappy();
      b.enableSnappy();
      const payload = testBytes(size, size + 7, true);
      const frame = a.encode(0x10, payload);
      expect(hex(readFrame(b, frame).data)).toBe(hex(payload));
      expect(hex(readFrame(a, b.encode(0x11, payload)).data)).toBe(hex(payload));
    });

    it('compresses on the wire', () => {
      const { a } = codecPair({ snappy: impl });
      const payload = new Uint8Array(4096).fill(7);
      a.enableSnappy();
      expect(a.snappy).toBe(true);
      // 4096 equal bytes compress to about 200; uncompressed the frame would be 4160.
      expect(a.encode(1, payload).length).toBeLessThan(300);
    });
  });

  it('keeps the keystream and MACs in step across many frames and a later snappy switch', () => {
    const { a, b } = codecPair();
    for (let i = 0; i < 50; i++) {
      if (i === 25) {
        a.enableSnappy();
        b.enableSnappy();
      }
      const payload = testBytes(i * 37, i + 1, true);
      const msg = readFrame(b, a.encode(i, payload));
      expect([msg.code, hex(msg.data)]).toEqual([i, hex(payload)]);
    }
  });

  it('encodes every code in 0..300 and large codes as canonical RLP integers', () => {
    const { a, b } = codecPair();
    const codes = [...Array.from({ length: 301 }, (_, i) => i), 0xffff, 2 ** 32, 2 ** 53 - 1];
    for (const code of codes) {
      const frame = a.encode(code, Uint8Array.of(0xaa));
      const msg = readFrame(b, frame);
      expect(msg.code).toBe(code);
      expect(hex(msg.data)).toBe('aa');
    }
  });

  it('writes rlp(code) exactly as @ethereumjs/rlp does', () => {
    // Decrypting our own frame with a reader whose snappy is off exposes rlp(code) ‖ payload;
    // compare the prefix length through the frame-size: size = len(rlp(code)) + len(payload).
    for (const code of [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x123456]) {
      const { a, b } = codecPair();
      const frame = a.encode(code, new Uint8Array(0));
      const bodyLength = b.reader.readHeader(frame.subarray(0, 32));
      const expected = RLP.encode(code).length;
      expect(bodyLength).toBe(Math.ceil(expected / 16) * 16 + 16);
      expect(b.reader.readBody(frame.subarray(32)).code).toBe(code);
    }
  });
});

describe('FrameCodec.encode argument checks', () => {
  it('rejects a payload over MAX_FRAME_SIZE with a RangeError', () => {
    const { a } = codecPair();
    expect(() => a.encode(1, new Uint8Array(MAX_FRAME_SIZE + 1))).toThrow(RangeError);
  });

  it('rejects a frame-size over MAX_FRAME_SIZE once the code is added', () => {
    const { a } = codecPair();
    expect(() => a.encode(0x80, new Uint8Array(MAX_FRAME_SIZE - 1))).toThrow(/frame-size/);
    expect(a.encode(1, new Uint8Array(MAX_FRAME_SIZE - 1)).length).toBe(
      32 + MAX_FRAME_SIZE + 1 + 16,
    );
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects code %s', (code) => {
    const { a } = codecPair();
    expect(() => a.encode(code, new Uint8Array(1))).toThrow(RangeError);
  });

  it('rejects bad secrets and limits', () => {
    const good = secretsFor('initiator');
    expect(() => new FrameCodec({ ...good, aesSecret: new Uint8Array(16) })).toThrow(RangeError);
    expect(() => new FrameCodec({ ...good, macSecret: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => new FrameCodec(good, { maxSize: 0 })).toThrow(RangeError);
    expect(() => new FrameCodec(good, { maxSize: MAX_FRAME_SIZE + 1 })).toThrow(RangeError);
  });
});

describe('FrameCodec from the handshake secrets', () => {
  it('talks both ways when each side is built from its own deriveSecrets output', () => {
    const [k1, k2] = [generatePrivateKey(), generatePrivateKey()];
    const shared = {
      initiatorNonce: randomBytes(32),
      recipientNonce: randomBytes(32),
      authPacket: randomBytes(300),
      ackPacket: randomBytes(200),
    };
    const initiator = new FrameCodec(
      deriveSecrets({
        ...shared,
        initiator: true,
        localEphemeralKey: k1,
        remoteEphemeralPublicKey: publicKey(k2),
      }),
    );
    const recipient = new FrameCodec(
      deriveSecrets({
        ...shared,
        initiator: false,
        localEphemeralKey: k2,
        remoteEphemeralPublicKey: publicKey(k1),
      }),
    );
    for (let i = 0; i < 4; i++) {
      const payload = testBytes(100 * i, i + 5);
      expect(hex(readFrame(recipient, initiator.encode(i, payload)).data)).toBe(hex(payload));
      expect(hex(readFrame(initiator, recipient.encode(i, payload)).data)).toBe(hex(payload));
    }
  });
});
