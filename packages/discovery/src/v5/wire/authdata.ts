/**
 * The authdata of the three packet kinds.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-wire.md#packet-encoding
 * @module
 */
import { assertBytes } from '@ethp2p/crypto';
import {
  HANDSHAKE_AUTHDATA_HEAD_BYTES,
  ID_NONCE_BYTES,
  MESSAGE_AUTHDATA_BYTES,
  WHOAREYOU_AUTHDATA_BYTES,
} from './constants.ts';
import { WireV5Error } from './errors.ts';

const MAX_UINT64 = (1n << 64n) - 1n;

/** WHOAREYOU authdata: the id-nonce and the enr-seq we know of the challenged node. */
export interface WhoareyouAuth {
  /** 16 random bytes. */
  readonly idNonce: Uint8Array;
  /** The sequence number of the recipient's record we hold, 0 if none. */
  readonly enrSeq: bigint;
}

/** Handshake authdata. */
export interface HandshakeAuth {
  readonly srcId: Uint8Array;
  /** The id-signature (64 bytes for "v4"). */
  readonly signature: Uint8Array;
  /** The ephemeral public key (33 bytes, compressed, for "v4"). */
  readonly ephemeralKey: Uint8Array;
  /** The RLP of the sender's record, or empty when the recipient's copy is current. */
  readonly record: Uint8Array;
}

/** Ordinary message authdata: the 32-byte source node ID. */
export function encodeMessageAuth(srcId: Uint8Array): Uint8Array {
  assertBytes('srcId', srcId, MESSAGE_AUTHDATA_BYTES);
  return srcId;
}

/** The source node ID of ordinary message authdata. @throws {WireV5Error} BAD_AUTHDATA */
export function decodeMessageAuth(authdata: Uint8Array): Uint8Array {
  if (authdata.length !== MESSAGE_AUTHDATA_BYTES) {
    throw new WireV5Error('BAD_AUTHDATA', `message authdata of ${authdata.length} bytes`);
  }
  return authdata.slice();
}

/** WHOAREYOU authdata. @throws {TypeError|RangeError} on a bad id-nonce or enr-seq */
export function encodeWhoareyouAuth(auth: WhoareyouAuth): Uint8Array {
  assertBytes('idNonce', auth.idNonce, ID_NONCE_BYTES);
  if (typeof auth.enrSeq !== 'bigint' || auth.enrSeq < 0n || auth.enrSeq > MAX_UINT64) {
    throw new RangeError(`enrSeq: expected 0 to 2^64-1, got ${String(auth.enrSeq)}`);
  }
  const out = new Uint8Array(WHOAREYOU_AUTHDATA_BYTES);
  out.set(auth.idNonce, 0);
  new DataView(out.buffer).setBigUint64(ID_NONCE_BYTES, auth.enrSeq);
  return out;
}

/** Decodes WHOAREYOU authdata. @throws {WireV5Error} BAD_AUTHDATA */
export function decodeWhoareyouAuth(authdata: Uint8Array): WhoareyouAuth {
  if (authdata.length !== WHOAREYOU_AUTHDATA_BYTES) {
    throw new WireV5Error('BAD_AUTHDATA', `whoareyou authdata of ${authdata.length} bytes`);
  }
  const view = new DataView(authdata.buffer, authdata.byteOffset, authdata.byteLength);
  return {
    idNonce: authdata.slice(0, ID_NONCE_BYTES),
    enrSeq: view.getBigUint64(ID_NONCE_BYTES),
  };
}

/** Handshake authdata. @throws {TypeError|RangeError} on bad field sizes */
export function encodeHandshakeAuth(auth: HandshakeAuth): Uint8Array {
  assertBytes('srcId', auth.srcId, 32);
  assertBytes('signature', auth.signature);
  assertBytes('ephemeralKey', auth.ephemeralKey);
  assertBytes('record', auth.record);
  if (auth.signature.length > 255 || auth.ephemeralKey.length > 255) {
    throw new RangeError('signature, ephemeralKey: expected at most 255 bytes each');
  }
  const out = new Uint8Array(
    HANDSHAKE_AUTHDATA_HEAD_BYTES +
      auth.signature.length +
      auth.ephemeralKey.length +
      auth.record.length,
  );
  out.set(auth.srcId, 0);
  out[32] = auth.signature.length;
  out[33] = auth.ephemeralKey.length;
  let pos = HANDSHAKE_AUTHDATA_HEAD_BYTES;
  for (const part of [auth.signature, auth.ephemeralKey, auth.record]) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/**
 * Decodes handshake authdata. The record stays raw: it is checked only once the handshake is
 * known to answer a challenge we sent. @throws {WireV5Error} BAD_AUTHDATA
 */
export function decodeHandshakeAuth(authdata: Uint8Array): HandshakeAuth {
  if (authdata.length < HANDSHAKE_AUTHDATA_HEAD_BYTES) {
    throw new WireV5Error('BAD_AUTHDATA', `handshake authdata of ${authdata.length} bytes`);
  }
  const sigEnd = HANDSHAKE_AUTHDATA_HEAD_BYTES + (authdata[32] as number);
  const keyEnd = sigEnd + (authdata[33] as number);
  if (keyEnd > authdata.length) {
    throw new WireV5Error('BAD_AUTHDATA', 'handshake signature and key beyond the authdata');
  }
  return {
    srcId: authdata.slice(0, 32),
    signature: authdata.slice(HANDSHAKE_AUTHDATA_HEAD_BYTES, sigEnd),
    ephemeralKey: authdata.slice(sigEnd, keyEnd),
    record: authdata.slice(keyEnd),
  };
}
