/**
 * The Hello message (code 0x00):
 * `[version, name, [[capName, capVersion], ...], listenPort, id, ...rest]`.
 * Pure codec; the exchange over a connection is `exchangeHello`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#hello-0x00
 * @module
 */
import {
  encodeBytes,
  encodeList,
  encodeUint,
  listItems,
  minFields,
  RlpError,
  type RlpItem,
  readRoot,
  readU64,
  stringPayload,
} from '@ethp2p/base/rlp';
import { compareCaps } from '../caps.ts';
import { PeerError } from '../errors.ts';
import type { Cap } from '../protocol.ts';
import {
  BASE_PROTOCOL_MAX_MSG_SIZE,
  CAP_MAX_FIELDS,
  HELLO_MAX_CAPS,
  HELLO_MAX_FIELDS,
} from './constants.ts';
import { DiscReason } from './disc-reason.ts';

/** Length of the node ID (the uncompressed secp256k1 public key without its 0x04 prefix). */
const ID_BYTES = 64;

/** A Hello: what each side announces right after the RLPx handshake. */
export interface Hello {
  /** The p2p (base protocol) version; 5 turns snappy on when both sides have it. */
  readonly version: number;
  /** The client name, e.g. `'Geth/v1.15.0/linux-amd64/go1.23.0'`. */
  readonly name: string;
  /** The capabilities (subprotocols and versions) the sender supports. */
  readonly caps: readonly Cap[];
  /** The TCP listening port (legacy: geth sends 0 and ignores it). */
  readonly listenPort: number;
  /** The sender's 64-byte public key. */
  readonly id: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * RLP-encodes `hello`, with the caps sorted by name then version (as geth sends them).
 * @throws {RangeError} for a version, cap version or port that is not a non-negative safe
 * integer, or an ID that is not 64 bytes
 */
export function encodeHello(hello: Hello): Uint8Array {
  checkUint('version', hello.version);
  checkUint('listenPort', hello.listenPort);
  if (!(hello.id instanceof Uint8Array) || hello.id.length !== ID_BYTES) {
    throw new RangeError(`id: expected ${ID_BYTES} bytes, got ${describe(hello.id)}`);
  }
  const caps = [...hello.caps].sort(compareCaps).map((cap) => {
    checkUint('cap version', cap.version);
    return encodeList([encodeBytes(encoder.encode(cap.name)), encodeUint(cap.version)]);
  });
  return encodeList([
    encodeUint(hello.version),
    encodeBytes(encoder.encode(hello.name)),
    encodeList(caps),
    encodeUint(hello.listenPort),
    encodeBytes(hello.id),
  ]);
}

/**
 * Decodes a Hello payload. Trailing list elements (in the Hello and in each cap) are ignored,
 * up to {@link HELLO_MAX_FIELDS} and {@link CAP_MAX_FIELDS} elements, with at most
 * {@link HELLO_MAX_CAPS} caps; a longer list is refused (ProtocolError) without being read,
 * as the spec asks.
 * @throws {PeerError} `ProtocolError` for a payload over {@link BASE_PROTOCOL_MAX_MSG_SIZE}
 * (2 KiB), bad RLP or a malformed Hello; `InvalidIdentity` for an ID that is not 64 bytes or
 * is all zero
 */
export function decodeHello(data: Uint8Array): Hello {
  if (data.length > BASE_PROTOCOL_MAX_MSG_SIZE) {
    throw new PeerError(
      DiscReason.ProtocolError,
      `message too big: hello of ${data.length} bytes (limit ${BASE_PROTOCOL_MAX_MSG_SIZE})`,
    );
  }
  let hello: Hello;
  try {
    hello = readHello(data);
  } catch (err) {
    if (err instanceof RlpError) throw malformed(err.message, err);
    throw err;
  }
  if (hello.id.length !== ID_BYTES || hello.id.every((b) => b === 0)) {
    throw new PeerError(
      DiscReason.InvalidIdentity,
      `invalid node identity: ${hello.id.length}-byte ID${hello.id.length === ID_BYTES ? ', all zero' : ''}`,
    );
  }
  return hello;
}

/** The fields of a Hello, strictly decoded (trailing list elements ignored). @throws {RlpError} */
function readHello(data: Uint8Array): Hello {
  const root = readRoot(data, 'hello');
  const [version, name, caps, listenPort, id] = minFields(root, 5, 'hello', HELLO_MAX_FIELDS);
  return {
    version: readUint64(version, 'version'),
    name: decoder.decode(stringPayload(name, 'name')),
    caps: listItems(caps, 'caps', HELLO_MAX_CAPS).map(readCap),
    listenPort: readUint64(listenPort, 'listenPort'),
    id: stringPayload(id, 'id').slice(),
  };
}

function readCap(item: RlpItem): Cap {
  const [name, version] = minFields(item, 2, 'cap', CAP_MAX_FIELDS);
  return {
    name: decoder.decode(stringPayload(name, 'cap name')),
    version: readUint64(version, 'cap version'),
  };
}

/**
 * A canonical uint64 (geth's type for Hello's integers; no leading zeros, at most 8 bytes), as a
 * number; values above 2^53 lose precision. */
function readUint64(item: RlpItem | undefined, what: string): number {
  return Number(readU64(item, what));
}

function malformed(what: string, cause?: unknown): PeerError {
  return new PeerError(DiscReason.ProtocolError, `invalid hello: ${what}`, { cause });
}

function checkUint(field: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`${field}: expected a non-negative safe integer, got ${describe(v)}`);
  }
}

function describe(v: unknown): string {
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return typeof v === 'number' ? String(v) : typeof v;
}
