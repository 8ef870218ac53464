/**
 * SHA-256, HMAC-SHA256, HKDF-SHA256 and AES (CTR, single block, GCM) from `node:crypto`. These are native in every backend: OpenSSL is
 * always faster than any JS or WASM alternative here.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
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

/**
 * HKDF-SHA256 (RFC 5869): extract with `salt` over `ikm`, then expand with `info` to `length`
 * bytes (at most 8160).
 */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  assertBytes('ikm', ikm);
  assertBytes('salt', salt);
  assertBytes('info', info);
  if (!Number.isInteger(length) || length < 1 || length > 255 * 32) {
    throw new RangeError(`length: expected an integer in 1-8160, got ${length}`);
  }
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}

/** Length of the AES-GCM authentication tag appended to every ciphertext. */
export const AES_GCM_TAG_BYTES = 16;

function checkGcmArgs(key: Uint8Array, nonce: Uint8Array, data: Uint8Array, ad: Uint8Array): void {
  assertBytes('key', key, 16);
  assertBytes('nonce', nonce, 12);
  assertBytes('data', data);
  assertBytes('ad', ad);
}

/**
 * AES-128-GCM encryption of `plaintext` with a 16-byte key and a 12-byte nonce, authenticating
 * `ad` too: returns the ciphertext followed by the 16-byte tag. A nonce must never be reused
 * under one key.
 */
export function aes128GcmSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  checkGcmArgs(key, nonce, plaintext, ad);
  const cipher = createCipheriv('aes-128-gcm', key, nonce);
  cipher.setAAD(ad);
  const body = cipher.update(plaintext);
  cipher.final();
  const out = new Uint8Array(body.length + AES_GCM_TAG_BYTES);
  out.set(body);
  out.set(cipher.getAuthTag(), body.length);
  return out;
}

/**
 * AES-128-GCM decryption of `sealed` (ciphertext followed by the 16-byte tag), as made by
 * {@link aes128GcmSeal}. Returns the plaintext, or `undefined` when the input is shorter than a
 * tag or does not authenticate under this key, nonce and `ad`: the caller decides what that means.
 */
export function aes128GcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  ad: Uint8Array,
): Uint8Array | undefined {
  checkGcmArgs(key, nonce, sealed, ad);
  if (sealed.length < AES_GCM_TAG_BYTES) return undefined;
  const split = sealed.length - AES_GCM_TAG_BYTES;
  const decipher = createDecipheriv('aes-128-gcm', key, nonce, {
    authTagLength: AES_GCM_TAG_BYTES,
  });
  decipher.setAAD(ad);
  decipher.setAuthTag(sealed.subarray(split));
  const body = decipher.update(sealed.subarray(0, split));
  try {
    decipher.final();
  } catch {
    return undefined;
  }
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}
