/**
 * The TXT entries of an EIP-1459 tree: the signed root, branches, node records and links to
 * other trees, with their subdomain hashes. Pure: no I/O.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */
import {
  CryptoError,
  compressPublicKey,
  decompressPublicKey,
  keccak256,
  verify,
} from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { base32Decode, base32DecodedLength, base32Encode } from './base32.ts';
import {
  BRANCH_PREFIX,
  ENR_PREFIX,
  HASH_ABBREV_BYTES,
  LINK_PREFIX,
  MAX_BRANCH_CHILDREN,
  MAX_ENTRY_CHARS,
  MAX_HASH_BYTES,
  MIN_HASH_BYTES,
  ROOT_PREFIX,
} from './constants.ts';
import { DnsDiscError } from './errors.ts';

/** A tree's location: the domain and the key that signs its root. */
export interface TreeLink {
  /** The domain of the root entry. */
  readonly domain: string;
  /** The 64-byte public key (X‖Y) that signs the root. */
  readonly publicKey: Uint8Array;
  /** `<base32 compressed key>@<domain>`, the link without its scheme. */
  readonly text: string;
}

/** The signed root of a tree. */
export interface RootEntry {
  /** Hash of the node subtree's root entry. */
  readonly enrRoot: string;
  /** Hash of the link subtree's root entry. */
  readonly linkRoot: string;
  /** Sequence number, raised by the publisher on every change. */
  readonly seq: number;
  /** The 65-byte r‖s‖v signature of {@link rootSigningText}. */
  readonly signature: Uint8Array;
}

/** A tree entry below the root. */
export type TreeEntry =
  | { readonly kind: 'branch'; readonly children: readonly string[] }
  | { readonly kind: 'enr'; readonly node: Node }
  | { readonly kind: 'link'; readonly link: TreeLink };

const ROOT_SYNTAX = /^enrtree-root:v1 e=(\S+) l=(\S+) seq=([0-9]{1,16}) sig=(\S+)$/;
const DOMAIN_SYNTAX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/;
const MAX_DOMAIN_CHARS = 253;
const SIGNATURE_BYTES = 65;

/** The subdomain of an entry: unpadded base32 of its text's keccak256, cut to 16 bytes. */
export function entryHash(text: string): string {
  return base32Encode(keccak256(utf8(text)).subarray(0, HASH_ABBREV_BYTES));
}

/** Whether `hash` is unpadded base32 of 12 to 32 bytes (geth `isValidHash`). */
export function isValidHash(hash: string): boolean {
  const n = base32DecodedLength(hash.length);
  return n >= MIN_HASH_BYTES && n <= MAX_HASH_BYTES && base32Decode(hash) !== undefined;
}

/** Whether the text of an entry found at `hash` hashes to it (hashes may be shortened). */
export function hashMatches(hash: string, text: string): boolean {
  const want = base32Decode(hash);
  if (want === undefined || want.length > MAX_HASH_BYTES) return false;
  const have = keccak256(utf8(text));
  return want.every((b, i) => have[i] === b);
}

/** The text of a root entry. */
export function formatRoot(root: RootEntry): string {
  return `${rootSigningText(root)} sig=${Buffer.from(root.signature).toString('base64url')}`;
}

/** What the root signature signs: the root entry's text without ` sig=...` (EIP-1459). */
export function rootSigningText(root: Omit<RootEntry, 'signature'>): string {
  return `${ROOT_PREFIX} e=${root.enrRoot} l=${root.linkRoot} seq=${root.seq}`;
}

/** Whether the root's signature is `publicKey`'s over keccak256 of {@link rootSigningText}. */
export function verifyRoot(root: RootEntry, publicKey: Uint8Array): boolean {
  const hash = keccak256(utf8(rootSigningText(root)));
  return verify(hash, root.signature.subarray(0, 64), publicKey);
}

/**
 * Parses a root entry (its signature is checked by {@link verifyRoot}).
 * @throws {DnsDiscError} INVALID_SYNTAX, INVALID_CHILD, INVALID_SIGNATURE or TOO_LARGE
 */
export function parseRoot(text: string): RootEntry {
  checkLength(text, 'root');
  const m = ROOT_SYNTAX.exec(text);
  const [, enrRoot = '', linkRoot = '', seqText = '', sigText = ''] = m ?? [];
  const seq = Number(seqText);
  if (m === null || !Number.isSafeInteger(seq)) throw entryError('INVALID_SYNTAX', 'root');
  if (!isValidHash(enrRoot) || !isValidHash(linkRoot)) throw entryError('INVALID_CHILD', 'root');
  const signature = decodeBase64Url(sigText);
  if (signature?.length !== SIGNATURE_BYTES) throw entryError('INVALID_SIGNATURE', 'root');
  return { enrRoot, linkRoot, seq, signature };
}

/** The text of an entry below the root. */
export function formatEntry(entry: TreeEntry): string {
  switch (entry.kind) {
    case 'branch':
      return BRANCH_PREFIX + entry.children.join(',');
    case 'enr':
      return entry.node.record?.encodeText() ?? '';
    case 'link':
      return LINK_PREFIX + entry.link.text;
  }
}

/**
 * Parses an entry below the root (geth `parseEntry`).
 * @throws {DnsDiscError} UNKNOWN_ENTRY, TOO_LARGE, INVALID_CHILD, NO_PUBKEY, BAD_PUBKEY,
 *   INVALID_URL or INVALID_ENR
 */
export function parseEntry(text: string): TreeEntry {
  if (text.startsWith(LINK_PREFIX)) return { kind: 'link', link: parseLink(text) };
  if (text.startsWith(BRANCH_PREFIX)) return parseBranch(text);
  if (text.startsWith(ENR_PREFIX)) return parseEnr(text);
  throw new DnsDiscError('UNKNOWN_ENTRY', 'unknown entry type');
}

/**
 * Parses an `enrtree://<key>@<domain>` URL or link entry.
 * @throws {DnsDiscError} INVALID_URL, NO_PUBKEY, BAD_PUBKEY or TOO_LARGE
 */
export function parseLink(url: string): TreeLink {
  checkLength(url, 'link');
  if (!url.startsWith(LINK_PREFIX)) {
    throw new DnsDiscError('INVALID_URL', "wrong/missing scheme 'enrtree' in url");
  }
  const text = url.slice(LINK_PREFIX.length);
  const at = text.indexOf('@');
  if (at < 0) throw entryError('NO_PUBKEY', 'link');
  const keyText = text.slice(0, at);
  const domain = text.slice(at + 1);
  const compressed = base32Decode(keyText);
  if (compressed?.length !== 33) throw entryError('BAD_PUBKEY', 'link');
  let publicKey: Uint8Array;
  try {
    publicKey = decompressPublicKey(compressed);
  } catch (err) {
    // only a point off the curve is bad input; anything else is a bug, not to be hidden
    if (!(err instanceof CryptoError)) throw err;
    throw entryError('BAD_PUBKEY', 'link', err);
  }
  if (domain.length > MAX_DOMAIN_CHARS || !DOMAIN_SYNTAX.test(domain)) {
    throw new DnsDiscError('INVALID_URL', `invalid domain name '${domain.slice(0, 64)}'`, {
      entry: 'link',
    });
  }
  return { domain, publicKey, text };
}

/** The link to the tree at `domain` signed by `publicKey` (64 bytes). */
export function makeLink(domain: string, publicKey: Uint8Array): TreeLink {
  const text = `${base32Encode(compressPublicKey(publicKey))}@${domain}`;
  return parseLink(LINK_PREFIX + text);
}

/** The `enrtree://` URL of a link. */
export function linkUrl(link: TreeLink): string {
  return LINK_PREFIX + link.text;
}

function parseBranch(text: string): TreeEntry {
  checkLength(text, 'branch');
  const body = text.slice(BRANCH_PREFIX.length);
  if (body === '') return { kind: 'branch', children: [] };
  const children = body.split(',');
  if (children.length > MAX_BRANCH_CHILDREN) {
    throw new DnsDiscError('TOO_LARGE', `branch of more than ${MAX_BRANCH_CHILDREN} children`, {
      entry: 'branch',
    });
  }
  if (!children.every(isValidHash)) throw entryError('INVALID_CHILD', 'branch');
  return { kind: 'branch', children };
}

function parseEnr(text: string): TreeEntry {
  checkLength(text, 'enr');
  try {
    return { kind: 'enr', node: Node.fromEnr(Enr.decodeText(text)) };
  } catch (err) {
    throw entryError('INVALID_ENR', 'enr', err);
  }
}

const MESSAGES: Partial<Record<DnsDiscError['code'], string>> = {
  INVALID_SYNTAX: 'invalid syntax',
  INVALID_CHILD: 'invalid child hash',
  INVALID_SIGNATURE: 'invalid base64 signature',
  NO_PUBKEY: 'missing public key',
  BAD_PUBKEY: 'invalid public key',
  INVALID_ENR: 'invalid node record',
};

function entryError(code: DnsDiscError['code'], entry: string, cause?: unknown): DnsDiscError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new DnsDiscError(code, `invalid ${entry} entry: ${MESSAGES[code] ?? code}${detail}`, {
    entry,
    ...(cause === undefined ? {} : { cause }),
  });
}

function checkLength(text: string, entry: string): void {
  if (text.length > MAX_ENTRY_CHARS) {
    throw new DnsDiscError(
      'TOO_LARGE',
      `${entry} entry longer than ${MAX_ENTRY_CHARS} characters`,
      {
        entry,
      },
    );
  }
}

function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return undefined;
  return new Uint8Array(bytes);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
