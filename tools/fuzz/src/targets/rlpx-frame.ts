/**
 * RLPx frames through the ingress half of `FrameCodec` (`@ethp2p/rlpx/frame`): a stream of
 * frames, fed in chunks, with the codec's fixed session secrets. A "frame script" (each frame's
 * 16-byte header plaintext, then its padded body plaintext) is mutated and then encrypted and
 * MAC'd with the same secrets, so the header's frame-size, the message code, the payload and,
 * with snappy on, the compressed block all reach the reader with valid MACs; raw wire bytes
 * are mutated too. Snappy on its own: both implementations, which must agree.
 * @module
 */

import { encodeRlp } from '@ethp2p/base/rlp';
import { concatBytes, createAesCtr, keccak256 } from '@ethp2p/crypto';
import { MAX_FRAME_SIZE, RlpxError } from '@ethp2p/rlpx';
import {
  createMacKeccak,
  createSnappy,
  FrameCodec,
  FrameMac,
  type FrameSecrets,
  napiSnappyAvailable,
  type SnappyCodec,
} from '@ethp2p/rlpx/frame';
import { typedErrors } from '../errors.ts';
import { type FuzzTarget, PropertyError, type TargetSpec } from '../target.ts';
import { attempt, textBytes } from './fixtures.ts';

const expected = typedErrors(RlpxError);
const AES_SECRET = keccak256(textBytes('ethp2p fuzz frame aes'));
const MAC_SECRET = keccak256(textBytes('ethp2p fuzz frame mac'));
const MAC_SEED = textBytes('ethp2p fuzz frame ingress');
const ZERO_IV = new Uint8Array(16);
const HEADER_BYTES = 16;
/** The header-data every client sends: rlp([0, 0]) as geth writes it. */
const HEADER_DATA = Uint8Array.of(0xc2, 0x80, 0x80);

function roundUp16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** The reader's secrets, fresh (the MAC states are consumed as frames are read). */
function secrets(): FrameSecrets {
  return {
    aesSecret: AES_SECRET,
    macSecret: MAC_SECRET,
    egressMac: createMacKeccak().update(MAC_SEED),
    ingressMac: createMacKeccak().update(MAC_SEED),
  };
}

/** The plaintext of one frame: header (size, header-data, zeros) and padded body. */
function framePlain(code: number, payload: Uint8Array): Uint8Array {
  const body = concatBytes(encodeRlp(code), payload);
  const size = body.length;
  const header = new Uint8Array(HEADER_BYTES);
  header.set([size >>> 16, (size >>> 8) & 0xff, size & 0xff], 0);
  header.set(HEADER_DATA, 3);
  const padded = new Uint8Array(roundUp16(size));
  padded.set(body);
  return concatBytes(header, padded);
}

/**
 * The wire bytes of a frame script: each 16-byte header and the body its frame-size announces,
 * encrypted and MAC'd as the peer would. A body cut short by the end of the script goes out
 * without its MAC (the reader then waits for more).
 */
function sealScript(script: Uint8Array): Uint8Array {
  const ctr = createAesCtr(AES_SECRET, ZERO_IV);
  const mac = new FrameMac(createMacKeccak().update(MAC_SEED), MAC_SECRET);
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos + HEADER_BYTES <= script.length) {
    const headerCt = ctr.update(script.subarray(pos, pos + HEADER_BYTES));
    out.push(headerCt, mac.header(headerCt));
    const size =
      ((script[pos] as number) << 16) |
      ((script[pos + 1] as number) << 8) |
      (script[pos + 2] as number);
    pos += HEADER_BYTES;
    const bodyEnd = pos + roundUp16(size);
    if (bodyEnd > script.length) {
      out.push(script.subarray(pos));
      return concatBytes(...out);
    }
    const bodyCt = ctr.update(script.subarray(pos, bodyEnd));
    out.push(bodyCt, mac.frame(bodyCt));
    pos = bodyEnd;
  }
  out.push(script.subarray(pos));
  return concatBytes(...out);
}

/**
 * The chunk size the stream is fed in, picked by the input's length (so a replay is the same).
 * One-byte chunks only up to 16 KiB: past that they measure the cost of a call per byte (about
 * 5 µs here, as it is for a socket's 'data' event), not the decoder.
 */
function chunkSize(input: Uint8Array): number {
  const size = [1, 7, 32, 100, 1500, input.length || 1][input.length % 6] as number;
  return input.length > 16 * 1024 ? Math.max(size, 512) : size;
}

function frameTarget(snappy: SnappyCodec | undefined): FuzzTarget {
  const compress = (p: Uint8Array) => (snappy === undefined ? p : snappy.compress(p));
  const messages: [number, Uint8Array][] = [
    [0x00, encodeRlp([5, 'geth', [['eth', 68]], 0, new Uint8Array(64).fill(1)])],
    [0x01, encodeRlp([4])],
    [0x02, encodeRlp([])],
    [
      0x10,
      encodeRlp([69, 1, new Uint8Array(32), [new Uint8Array(4), 0], 0, 100, new Uint8Array(32)]),
    ],
    [0x13, encodeRlp([7, [new Uint8Array(32).fill(9), 1024, 0, 0]])],
    [0x12, new Uint8Array(3000).fill(0x61)],
  ];
  const frames = messages.map(([code, payload]) => framePlain(code, compress(payload)));
  const scripts = [concatBytes(...frames), ...frames];
  return {
    modes: [
      { name: 'script', seeds: scripts, prepare: sealScript },
      { name: 'wire', seeds: scripts.map(sealScript) },
    ],
    maxInputBytes: 256 * 1024,
    expected,
    run(input) {
      const codec = new FrameCodec(secrets(), snappy === undefined ? {} : { snappy });
      if (snappy !== undefined) codec.enableSnappy();
      const step = chunkSize(input);
      for (let at = 0; at < input.length; at += step) {
        for (const msg of codec.push(input.subarray(at, at + step))) void msg.data.length;
      }
    },
  };
}

/** The `rlpx-frame` target. */
export const rlpxFrameTarget: TargetSpec = {
  name: 'rlpx-frame',
  decoders:
    '@ethp2p/rlpx/frame FrameCodec.push (FrameStream, FrameReader: header MAC, frame-size, ' +
    'frame MAC, message code), snappy off',
  create: () => frameTarget(undefined),
};

/** The `rlpx-frame-snappy` target. */
export const rlpxFrameSnappyTarget: TargetSpec = {
  name: 'rlpx-frame-snappy',
  decoders:
    'the same with snappy on (as after a Hello of version 5): every payload decompressed ' +
    'within the frame limit, a small raw Disconnect passed through',
  create: () => frameTarget(createSnappy()),
};

/** The `snappy` target. */
export const snappyTarget: TargetSpec = {
  name: 'snappy',
  decoders:
    '@ethp2p/rlpx/frame createSnappy().uncompress as rlpx calls it (limit MAX_FRAME_SIZE), ' +
    'napi and snappyjs: both must accept the same blocks and give the same bytes',
  create(): FuzzTarget {
    const js = createSnappy('js');
    const napi = napiSnappyAvailable() ? createSnappy('napi') : undefined;
    const payloads = [
      new Uint8Array(0),
      Uint8Array.of(1),
      new Uint8Array(100).fill(0),
      textBytes('abcabcabcabcabcabcabcabc hello snappy'.repeat(20)),
      encodeRlp([[1, 2, 3], new Uint8Array(70), 'x'.repeat(300)]),
      new Uint8Array(70_000).map((_, i) => (i * 7) & 0x3f),
    ];
    return {
      modes: [{ name: 'block', seeds: payloads.map((p) => js.compress(p)) }],
      maxInputBytes: 1024 * 1024,
      expected,
      run(input) {
        let fromJs: Uint8Array | undefined;
        let fromNapi: Uint8Array | undefined;
        attempt(() => {
          fromJs = js.uncompress(input, MAX_FRAME_SIZE);
        }, expected);
        if (napi === undefined) return;
        attempt(() => {
          fromNapi = napi.uncompress(input, MAX_FRAME_SIZE);
        }, expected);
        if ((fromJs === undefined) !== (fromNapi === undefined)) {
          throw new PropertyError(
            `snappy: ${fromJs === undefined ? 'napi' : 'snappyjs'} alone accepts the block`,
          );
        }
        if (fromJs !== undefined && fromNapi !== undefined) {
          const a = fromJs;
          const b = fromNapi;
          if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
            throw new PropertyError('snappy: napi and snappyjs decode to different bytes');
          }
        }
      },
    };
  },
};
