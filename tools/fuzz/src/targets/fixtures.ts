/**
 * Fixed keys and records the targets build their seeds from, so every run (and every replayed
 * input) sees the same keys.
 * @module
 */
import { encodeBytes, encodeList, type RlpItem, readItem } from '@ethp2p/base/rlp';
import { concatBytes, keccak256, publicKey, signRecoverable } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import { PropertyError } from '../target.ts';

const utf8 = new TextEncoder();

/** A fixed private key per label (keccak256 of the label: valid with overwhelming odds). */
export function fixedKey(label: string): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = keccak256(utf8.encode(`ethp2p fuzz ${label}`));
  return { privateKey, publicKey: publicKey(privateKey) };
}

/** UTF-8 bytes of `text`. */
export function textBytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** `bytes` read as UTF-8 (invalid sequences become U+FFFD, as a socket or DNS text would). */
export function bytesText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Signed records of a few shapes: IPv4, IPv6, both, an `eth` entry, odd extra keys. */
export function sampleRecords(privateKey: Uint8Array): Enr[] {
  return [
    Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1', udp: 30303, tcp: 30303 } }, privateKey),
    Enr.sign({ seq: 2n ** 40n, entries: { ip6: '::1', udp6: 30301, tcp6: 30302 } }, privateKey),
    Enr.sign(
      { seq: 7n, entries: { ip: '10.0.0.1', ip6: 'fe80::1', udp: 1, tcp: 65535, udp6: 2 } },
      privateKey,
    ),
    Enr.sign({ seq: 3n }, privateKey),
    Enr.sign(
      {
        seq: 9n,
        entries: {
          ip: '192.168.1.20',
          udp: 30303,
          eth: [[Uint8Array.of(0xfc, 0x64, 0xec, 0x04), Uint8Array.of(0x11, 0x8c, 0x30)]],
          z: Uint8Array.of(1, 2, 3),
        },
      },
      privateKey,
    ),
  ];
}

/** The RLP content `[seq, k, v, ...]` of a record (its list without the signature). */
export function recordContent(record: Uint8Array): Uint8Array {
  const root = readItem(record, 0);
  const sig = readItem(root.payload, 0);
  return encodeList([root.payload.subarray(sig.raw.length)]);
}

/**
 * A record around `content` signed with `privateKey` (so mutated entries pass the signature
 * check and reach the entry readers), or with an empty signature (an unsigned stored node)
 * without one; `content` itself when it is not an RLP list.
 */
export function signContent(content: Uint8Array, privateKey?: Uint8Array): Uint8Array {
  let root: RlpItem;
  try {
    root = readItem(content, 0);
  } catch {
    return content;
  }
  if (!root.list) return content;
  const signature =
    privateKey === undefined
      ? new Uint8Array(0)
      : signRecoverable(keccak256(root.raw), privateKey).subarray(0, 64);
  const record = encodeList([encodeBytes(signature), root.payload]);
  return concatBytes(record, content.subarray(root.raw.length));
}

/** Runs `fn`; an error `expected` accepts is swallowed, anything else is rethrown. */
export function attempt(fn: () => void, expected: (err: unknown) => boolean): void {
  try {
    fn();
  } catch (err) {
    if (!expected(err)) throw err;
  }
}

/** Throws a {@link PropertyError} unless `a` and `b` hold the same bytes. */
export function expectSameBytes(what: string, a: Uint8Array, b: Uint8Array): void {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return;
  throw new PropertyError(`${what}: ${a.length} bytes re-encode to ${b.length} different bytes`);
}
