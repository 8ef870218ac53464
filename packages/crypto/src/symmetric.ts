/**
 * SHA-256, HMAC-SHA256 and AES from `node:crypto`. These are native in every backend: OpenSSL is
 * always faster than any JS or WASM alternative here.
 * @module
 */
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { assertBytes } from './bytes.ts';

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** HMAC-SHA256 of the concatenation of `parts` under `key`. */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const p of parts) mac.update(p);
  return new Uint8Array(mac.digest());
}

/** An AES-CTR keystream: each `update` continues where the previous one stopped. */
export interface AesCtr {
  /** XORs `data` with the next `data.length` keystream bytes. Encryption and decryption alike. */
  update(data: Uint8Array): Uint8Array;
}

/** An AES-CTR stream with a 16-byte (AES-128) or 32-byte (AES-256) key and a 16-byte IV. */
export function createAesCtr(key: Uint8Array, iv: Uint8Array): AesCtr {
  assertBytes('key', key);
  if (key.length !== 16 && key.length !== 32) {
    throw new RangeError(`key: expected 16 or 32 bytes, got ${key.length}`);
  }
  assertBytes('iv', iv, 16);
  const cipher = createCipheriv(key.length === 16 ? 'aes-128-ctr' : 'aes-256-ctr', key, iv);
  return {
    update: (data) => {
      const out = cipher.update(data);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}

/** Single-block AES-256 encryption under one key (ECB of one block), as the RLPx frame MAC needs. */
export interface Aes256Block {
  /** Encrypts exactly 16 bytes. */
  encryptBlock(block: Uint8Array): Uint8Array;
}

/** A reusable single-block AES-256 encryptor for a 32-byte key. */
export function createAes256Block(key: Uint8Array): Aes256Block {
  assertBytes('key', key, 32);
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return {
    encryptBlock(block) {
      assertBytes('block', block, 16);
      const out = cipher.update(block);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}
