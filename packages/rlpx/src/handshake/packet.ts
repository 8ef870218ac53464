/**
 * Handshake packet framing: the EIP-8 size prefix and its cap, legacy detection, sealing and
 * opening, and the RLP field readers shared by auth and ack.
 * @see https://eips.ethereum.org/EIPS/eip-8
 * @module
 */
import { minFields, RlpError, type RlpItem, readRoot } from '@ethp2p/base/rlp';
import { concatBytes, randomBytes } from '@ethp2p/crypto';
import { RlpxError } from '../errors.ts';
import { MAX_HANDSHAKE_SIZE, MAX_PADDING_BYTES, MIN_PADDING_BYTES } from './constants.ts';
import { ECIES_OVERHEAD, eciesDecrypt, eciesEncrypt } from './ecies.ts';

const EMPTY = new Uint8Array(0);

/**
 * The total length (prefix included) of an EIP-8 handshake packet, from its first two bytes.
 * The connection layer calls this before reading (or allocating for) the body.
 * @throws {RlpxError} `MESSAGE_TOO_BIG` if the size exceeds {@link MAX_HANDSHAKE_SIZE},
 * `BAD_HANDSHAKE` if it is too small to hold an ECIES message
 * @throws {RangeError} if `prefix` has fewer than 2 bytes
 */
export function handshakePacketLength(prefix: Uint8Array): number {
  if (prefix.length < 2) throw new RangeError(`prefix: expected 2 bytes, got ${prefix.length}`);
  const size = ((prefix[0] as number) << 8) | (prefix[1] as number);
  if (size > MAX_HANDSHAKE_SIZE) {
    throw new RlpxError(
      'MESSAGE_TOO_BIG',
      `handshake message too big: ${size} > ${MAX_HANDSHAKE_SIZE}`,
    );
  }
  if (size < ECIES_OVERHEAD) {
    throw new RlpxError('BAD_HANDSHAKE', `handshake message too small: ${size} bytes`);
  }
  return size + 2;
}

/**
 * Whether a handshake packet starting with `firstBytes` may be a pre-EIP-8 message: those are a
 * bare ECIES blob, so they start with 0x04. An EIP-8 packet starting with 0x04 would announce
 * 1024–1279 bytes, always more than the 307/210-byte legacy lengths, so the rule below is exact:
 * if this returns true, read {@link LEGACY_AUTH_SIZE} (or {@link LEGACY_ACK_SIZE}) bytes and try
 * `readAuth`/`readAck`; if that fails, keep reading up to {@link handshakePacketLength} and try
 * again as EIP-8. Otherwise read {@link handshakePacketLength} bytes.
 */
export function mayBeLegacyHandshake(firstBytes: Uint8Array): boolean {
  return firstBytes[0] === 0x04;
}

/** `length` zero bytes for `length` random in [100, 199], as geth pads. */
function defaultPadding(): Uint8Array {
  const span = MAX_PADDING_BYTES - MIN_PADDING_BYTES + 1;
  return new Uint8Array(MIN_PADDING_BYTES + ((randomBytes(1)[0] as number) % span));
}

/**
 * Seals an EIP-8 packet: `size(2) ‖ ECIES(body ‖ padding)` with the size as shared MAC data.
 * @throws {RangeError} if the packet would exceed {@link MAX_HANDSHAKE_SIZE}
 */
export function sealEip8(
  remotePublicKey: Uint8Array,
  body: Uint8Array,
  padding: Uint8Array = defaultPadding(),
): Uint8Array {
  const size = body.length + padding.length + ECIES_OVERHEAD;
  if (size > MAX_HANDSHAKE_SIZE) {
    throw new RangeError(
      `padding: expected at most ${MAX_HANDSHAKE_SIZE} bytes in all, got ${size}`,
    );
  }
  const prefix = new Uint8Array([size >> 8, size & 0xff]);
  return concatBytes(prefix, eciesEncrypt(remotePublicKey, concatBytes(body, padding), prefix));
}

/** Seals a pre-EIP-8 packet: a bare ECIES blob with no shared MAC data. */
export function sealLegacy(remotePublicKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return eciesEncrypt(remotePublicKey, plaintext, EMPTY);
}

/**
 * Decrypts a handshake packet. A packet of exactly `legacySize` bytes starting with 0x04 is
 * pre-EIP-8 (it cannot be a valid EIP-8 packet: see {@link mayBeLegacyHandshake}); anything else
 * must be an EIP-8 packet whose size prefix matches its length.
 * @throws {RlpxError}
 */
export function openPacket(
  privateKey: Uint8Array,
  packet: Uint8Array,
  legacySize: number,
): { plaintext: Uint8Array; eip8: boolean } {
  if (packet.length === legacySize && mayBeLegacyHandshake(packet)) {
    return { plaintext: eciesDecrypt(privateKey, packet, EMPTY), eip8: false };
  }
  if (packet.length < 2) throw new RlpxError('BAD_HANDSHAKE', 'handshake packet too short');
  const total = handshakePacketLength(packet);
  if (packet.length !== total) {
    throw new RlpxError(
      'BAD_HANDSHAKE',
      `handshake length mismatch: prefix says ${total}, got ${packet.length} bytes`,
    );
  }
  const prefix = packet.subarray(0, 2);
  return { plaintext: eciesDecrypt(privateKey, packet.subarray(2), prefix), eip8: true };
}

/**
 * Reads the RLP list at the start of an EIP-8 plaintext with `parse`, which gets at least
 * `minCount` elements: the padding after the list and any extra elements a newer version
 * appends are ignored (EIP-8 forward compatibility).
 * @throws {RlpxError} `BAD_HANDSHAKE` for invalid RLP, a non-list, too few elements, or an
 * `RlpError` thrown by `parse` (a field of the wrong shape)
 */
export function readBody<T>(
  plaintext: Uint8Array,
  what: string,
  minCount: number,
  parse: (items: RlpItem[]) => T,
): T {
  try {
    return parse(minFields(readRoot(plaintext, what, { trailing: true }), minCount, what));
  } catch (err) {
    if (err instanceof RlpError) {
      throw new RlpxError('BAD_HANDSHAKE', `invalid ${what} body`, { cause: err });
    }
    throw err;
  }
}

/** `a XOR b` for two 32-byte values. */
export function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** A 32-byte nonce from the options, or 32 fresh random bytes. @throws {RangeError} */
export function nonceOrRandom(nonce: Uint8Array | undefined): Uint8Array {
  if (nonce === undefined) return randomBytes(32);
  if (nonce.length !== 32) throw new RangeError(`nonce: expected 32 bytes, got ${nonce.length}`);
  return nonce;
}
