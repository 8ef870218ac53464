/**
 * @ethp2p/rlpx/frame: the RLPx frame codec on its own, for tools and interop tests: frames
 * encrypted with AES-256-CTR and MAC'd with the keccak-based frame MAC, split into a reader and
 * a writer, and the snappy codecs payloads are compressed with. `RlpxConnection` in
 * `@ethp2p/rlpx` runs it over a socket. Failures throw `RlpxError`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#framing
 * @module
 */

export type { FrameCodecOptions, FrameSecrets } from './codec.ts';
export { FrameCodec } from './codec.ts';
export { FrameStream } from './frame-stream.ts';
export { FrameMac } from './mac.ts';
export type { FrameMessage } from './reader.ts';
export { FrameReader } from './reader.ts';
export type { SnappyCodec, SnappyImpl } from './snappy.ts';
export { createSnappy, napiSnappyAvailable, snappyDecodedLength } from './snappy.ts';
export { createMacKeccak } from './wasm/keccak.ts';
export type { FrameSink } from './writer.ts';
export { FrameWriter } from './writer.ts';
