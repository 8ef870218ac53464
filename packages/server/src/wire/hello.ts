/**
 * The Hello message (code 0x00):
 * `[version, name, [[capName, capVersion], ...], listenPort, id, ...rest]`.
 * Pure codec; the exchange over a connection is `exchangeHello`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#hello-0x00
 * @module
 */
import { RLP } from '@ethereumjs/rlp';
import { compareCaps } from '../caps.ts';
import { PeerError } from '../errors.ts';
import type { Cap } from '../protocol.ts';
import { BASE_PROTOCOL_MAX_MSG_SIZE } from './constants.ts';
import { DiscReason } from './disc-reason.ts';

/** Length of the node ID (the uncompressed secp256k1 public key without its 0x04 prefix). */
const ID_BYTES = 64;
/** Integers in Hello are uint64 on the wire (geth); longer ones are malformed. */
const MAX_UINT_BYTES = 8;

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
    return [encoder.encode(cap.name), cap.version];
  });
  return RLP.encode([hello.version, encoder.encode(hello.name), caps, hello.listenPort, hello.id]);
}

/**
 * Decodes a Hello payload. Trailing list elements (in the Hello and in each cap) are ignored,
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
  let items: unknown;
  try {
    items = RLP.decode(data);
  } catch (err) {
    throw malformed('bad RLP', err);
  }
  if (!Array.isArray(items) || items.length < 5) throw malformed('expected a list of 5 or more');
  const [version, name, caps, listenPort, id] = items as unknown[];
  if (!Array.isArray(caps)) throw malformed('caps: expected a list');
  const hello: Hello = {
    version: readUint(version, 'version'),
    name: decoder.decode(readBytes(name, 'name')),
    caps: caps.map(readCap),
    listenPort: readUint(listenPort, 'listenPort'),
    id: readBytes(id, 'id'),
  };
  if (hello.id.length !== ID_BYTES || hello.id.every((b) => b === 0)) {
    throw new PeerError(
      DiscReason.InvalidIdentity,
      `invalid node identity: ${hello.id.length}-byte ID${hello.id.length === ID_BYTES ? ', all zero' : ''}`,
    );
  }
  return hello;
}

function readCap(item: unknown): Cap {
  if (!Array.isArray(item) || item.length < 2) throw malformed('cap: expected [name, version]');
  return {
    name: decoder.decode(readBytes(item[0], 'cap name')),
    version: readUint(item[1], 'cap version'),
  };
}

function readBytes(item: unknown, what: string): Uint8Array {
  if (!(item instanceof Uint8Array)) throw malformed(`${what}: expected a byte string`);
  return item;
}

/** A canonical uint64 (no leading zeros); values above 2^53 lose precision. */
function readUint(item: unknown, what: string): number {
  const b = readBytes(item, what);
  if (b.length > MAX_UINT_BYTES) throw malformed(`${what}: integer longer than 8 bytes`);
  if (b[0] === 0) throw malformed(`${what}: integer has leading zeros`);
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
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
