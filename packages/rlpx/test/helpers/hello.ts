/**
 * The p2p Hello message (code 0) as a test helper, until the server takes it over:
 * `[version, clientId, [[capName, capVersion], ...], listenPort, id(64)]`.
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#hello-0x00
 * @module
 */
import { RLP } from '@ethereumjs/rlp';

/** Message code of Hello. */
export const HELLO_CODE = 0;
/** Message codes of the other p2p base messages. */
export const DISCONNECT_CODE = 1;
export const PING_CODE = 2;
export const PONG_CODE = 3;

/** A decoded Hello. */
export interface Hello {
  readonly version: number;
  readonly clientId: string;
  readonly caps: readonly { readonly name: string; readonly version: number }[];
  readonly listenPort: number;
  /** The sender's 64-byte public key. */
  readonly id: Uint8Array;
}

/** RLP-encodes a Hello payload. */
export function encodeHello(hello: Hello): Uint8Array {
  const enc = new TextEncoder();
  return RLP.encode([
    hello.version,
    enc.encode(hello.clientId),
    hello.caps.map((c) => [enc.encode(c.name), c.version]),
    hello.listenPort,
    hello.id,
  ]);
}

function uint(item: unknown): number {
  if (!(item instanceof Uint8Array)) throw new TypeError('hello: expected bytes');
  let n = 0;
  for (const b of item) n = n * 256 + b;
  return n;
}

/** Decodes a Hello payload; extra trailing list elements are ignored. */
export function decodeHello(data: Uint8Array): Hello {
  const items = RLP.decode(data);
  if (!Array.isArray(items) || items.length < 5) throw new TypeError('hello: expected a list of 5');
  const [version, clientId, caps, listenPort, id] = items;
  if (!(clientId instanceof Uint8Array) || !(id instanceof Uint8Array) || !Array.isArray(caps)) {
    throw new TypeError('hello: malformed');
  }
  const dec = new TextDecoder();
  return {
    version: uint(version),
    clientId: dec.decode(clientId),
    caps: caps.map((c) => {
      if (!Array.isArray(c) || !(c[0] instanceof Uint8Array)) throw new TypeError('hello: cap');
      return { name: dec.decode(c[0]), version: uint(c[1]) };
    }),
    listenPort: uint(listenPort),
    id,
  };
}
