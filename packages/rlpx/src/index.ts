/**
 * @ethp2p/rlpx: the RLPx transport: the ECIES handshake (EIP-8) and framed, MAC'd,
 * snappy-compressed messages over TCP.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md
 * @module
 */

export type { FrameCodecOptions, FrameSecrets } from './frame/codec.ts';
export { FrameCodec } from './frame/codec.ts';
export { MAX_FRAME_SIZE } from './frame/constants.ts';
export { FrameStream } from './frame/frame-stream.ts';
export { FrameMac } from './frame/mac.ts';
export type { FrameMessage } from './frame/reader.ts';
export { FrameReader } from './frame/reader.ts';
export type { SnappyCodec, SnappyImpl } from './frame/snappy.ts';
export { createSnappy, napiSnappyAvailable, snappyDecodedLength } from './frame/snappy.ts';
export { FrameWriter } from './frame/writer.ts';
