/**
 * Argument checks and error shapes shared by the native and wasm backends, so that every backend
 * rejects the same inputs with the same errors as the noble reference.
 * @module
 */
import { getRandomValues } from 'node:crypto';
import { assertBytes } from '../bytes.ts';
import { CryptoError } from '../errors.ts';
import type { CryptoBackend } from '../types.ts';

/** The secp256k1 group order n, big-endian. */
const CURVE_ORDER = Uint8Array.from(
  Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'),
);

/** ⌊n/2⌋, big-endian: the largest s a non-malleable signature may have. */
const HALF_ORDER = Uint8Array.from(
  Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'),
);

/** Compares the 32 bytes of `a` at `offset` with `b`, big-endian: negative, zero or positive. */
function compare32(a: Uint8Array, offset: number, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = (a[offset + i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether the s half of a 64-byte r‖s or 65-byte r‖s‖v signature is at most n/2. Signatures
 * with a high s are malleable twins of low-s ones; go-ethereum's `VerifySignature` (and so the
 * ENR "v4" scheme) rejects them.
 */
export function isLowS(sig: Uint8Array): boolean {
  assertBytes('signature', sig);
  if (sig.length !== 64 && sig.length !== 65) {
    throw new RangeError(`signature: expected 64 or 65 bytes, got ${sig.length}`);
  }
  return compare32(sig, 32, HALF_ORDER) <= 0;
}

/**
 * `hash` reduced modulo n, as RFC 6979 (bits2octets) and ECDSA use it. A 32-byte value is below
 * 2n, so one subtraction suffices. Returns `hash` itself when it is already below n.
 */
export function reduceModOrder(hash: Uint8Array): Uint8Array {
  if (compare32(hash, 0, CURVE_ORDER) < 0) return hash;
  const out = new Uint8Array(32);
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const d = (hash[i] as number) - (CURVE_ORDER[i] as number) - borrow;
    borrow = d < 0 ? 1 : 0;
    out[i] = d & 0xff;
  }
  return out;
}

/** Whether the 32 bytes of `bytes` at `offset`, read big-endian, lie in [1, n-1]. */
export function isScalarInRange(bytes: Uint8Array, offset = 0): boolean {
  let zero = true;
  let cmp = 0;
  for (let i = 0; i < 32; i++) {
    const b = bytes[offset + i] as number;
    if (b !== 0) zero = false;
    if (cmp === 0) cmp = b - (CURVE_ORDER[i] as number);
  }
  return !zero && cmp < 0;
}

/** A uniformly random private key from the OS CSPRNG (rejection sampling, n is close to 2²⁵⁶). */
export function randomPrivateKey(): Uint8Array {
  for (;;) {
    const priv = getRandomValues(new Uint8Array(32));
    if (isScalarInRange(priv)) return priv;
  }
}

/** Adds the SEC1 0x04 prefix to a 64-byte X‖Y key, without checking that it is on the curve. */
export function toSec1(pub: Uint8Array): Uint8Array {
  assertBytes('publicKey', pub, 64);
  const sec1 = new Uint8Array(65);
  sec1[0] = 0x04;
  sec1.set(pub, 1);
  return sec1;
}

/** Checks the length of a private key and that it lies in [1, n-1]. */
export function checkPrivateKey(priv: Uint8Array): void {
  assertBytes('privateKey', priv, 32);
  if (!isScalarInRange(priv)) {
    throw new CryptoError(
      'INVALID_PRIVATE_KEY',
      'private key is zero or not below the curve order',
    );
  }
}

/** Whether `priv` is a 32-byte Uint8Array in [1, n-1]; never throws. */
export function isPrivateKeyBytes(priv: unknown): boolean {
  return priv instanceof Uint8Array && priv.length === 32 && isScalarInRange(priv);
}

/** The error for a 64-byte key that is not a curve point. */
export function notOnCurve(cause?: unknown): CryptoError {
  return new CryptoError('INVALID_PUBLIC_KEY', 'public key is not on the curve', { cause });
}

/** The error for a 33-byte key that does not decompress to a curve point. */
export function badCompressedKey(cause?: unknown): CryptoError {
  return new CryptoError('INVALID_PUBLIC_KEY', 'compressed public key is not on the curve', {
    cause,
  });
}

/** The error for a signature that does not recover a public key. */
export function unrecoverable(cause?: unknown): CryptoError {
  return new CryptoError('INVALID_SIGNATURE', 'signature does not recover a public key', {
    cause,
  });
}

/**
 * Checks the arguments of `recover` and returns the recovery id v ∈ {0, 1}.
 * @throws {CryptoError} INVALID_SIGNATURE when v > 1 or r or s is not in [1, n-1]
 */
export function checkRecoverable(hash: Uint8Array, sig: Uint8Array): 0 | 1 {
  assertBytes('hash', hash, 32);
  assertBytes('signature', sig, 65);
  const v = sig[64] as number;
  if (v > 1) {
    throw new CryptoError('INVALID_SIGNATURE', `signature: recovery id ${v} is not 0 or 1`);
  }
  if (!isScalarInRange(sig, 0) || !isScalarInRange(sig, 32)) throw unrecoverable();
  return v as 0 | 1;
}

/** Checks the lengths of `verify`'s arguments and whether r and s lie in [1, n-1]. */
export function checkVerifyArgs(hash: Uint8Array, sig: Uint8Array, pub: Uint8Array): boolean {
  assertBytes('hash', hash, 32);
  assertBytes('signature', sig, 64);
  assertBytes('publicKey', pub, 64);
  return isScalarInRange(sig, 0) && isScalarInRange(sig, 32);
}

/** The key-handling methods of a backend. */
export type KeyMethods = Pick<
  CryptoBackend,
  | 'generatePrivateKey'
  | 'isValidPrivateKey'
  | 'publicKey'
  | 'isValidPublicKey'
  | 'compressPublicKey'
  | 'decompressPublicKey'
  | 'ecdhX'
  | 'ecdhCompressed'
>;

/** The signature methods of a backend. */
export type SignatureMethods = Pick<CryptoBackend, 'signRecoverable' | 'recover' | 'verify'>;
