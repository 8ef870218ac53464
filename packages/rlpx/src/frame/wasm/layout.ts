/**
 * The memory layout of the frame-MAC WebAssembly module, shared by its generator
 * (`scripts/frame-mac-wat.ts`) and its loader (`engine.ts`). All offsets are bytes from 0.
 * @module
 */

/** Where the current MAC context lives: its keccak state, position, cached digest and round keys. */
export const CTX = 0;
/** The 25 little-endian 64-bit lanes of the keccak-f[1600] state (200 bytes). */
export const CTX_LANES = 0;
/** Bytes absorbed into the current block, 0..135 (i32). */
export const CTX_POS = 200;
/** 1 when `CTX_DIGEST` holds the first 16 bytes of the state's digest as it is now (i32). */
export const CTX_HAVE_DIGEST = 204;
/** The first 16 bytes of the state's digest, kept by a frame MAC for the next header MAC. */
export const CTX_DIGEST = 208;
/** The 60 AES-256 round-key words (240 bytes), expanded once per MAC. */
export const CTX_ROUND_KEYS = 224;
/** Bytes of the context that change per call (lanes, position, cached digest). */
export const CTX_STATE_BYTES = 224;
/** Bytes of a whole context. */
export const CTX_BYTES = 464;

/** Scratch state for non-consuming digests; its first 32 bytes are the digest afterwards. */
export const SCRATCH = 512;
/** 16-byte output: a MAC or an AES block. */
export const OUT = 768;
/** The 24 keccak-f round constants (i64). */
export const ROUND_CONSTANTS = 1024;
/** The AES encryption T-table (256 little-endian i32 words). */
export const AES_TABLE = 2048;
/** The AES S-box (256 bytes). */
export const AES_SBOX = 3072;
/** Input bytes of a call: data to absorb, a header ciphertext, an AES key or block. */
export const INPUT = 4096;
/** Most bytes one call absorbs; longer inputs are absorbed in pieces of this size. */
export const INPUT_BYTES = 65536;
/** 64 KiB pages of memory the module declares (fixed: it never grows). */
export const MEMORY_PAGES = 2;
/** keccak-256 rate in bytes. */
export const RATE_BYTES = 136;
