/**
 * `Tree`: a signed EIP-1459 tree of node records and links, as a publisher builds it
 * (geth `dnsdisc.MakeTree`, `Tree.Sign`, `Tree.ToTXT`) and as a sync downloads it. Pure: no I/O.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */
import { bytesToHex, keccak256, publicKey, signRecoverable } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { MAX_BUILD_CHILDREN } from './constants.ts';
import {
  entryHash,
  formatEntry,
  formatRoot,
  linkUrl,
  makeLink,
  parseLink,
  type RootEntry,
  rootSigningText,
  type TreeEntry,
  verifyRoot,
} from './entries.ts';
import { DnsDiscError } from './errors.ts';

const PORT_KEYS = ['tcp', 'udp', 'tcp6', 'udp6'] as const;

/**
 * A tree: its root and its entries by subdomain hash. Immutable; {@link Tree.sign} returns a
 * new tree. A tree from {@link Tree.make} is unsigned (its signature is all zero) until signed.
 */
export class Tree {
  /** The root entry. */
  readonly root: RootEntry;
  readonly #entries: ReadonlyMap<string, TreeEntry>;

  private constructor(root: RootEntry, entries: ReadonlyMap<string, TreeEntry>) {
    this.root = root;
    this.#entries = entries;
  }

  /**
   * Builds the tree of `nodes` and `links` (`enrtree://` URLs) at `seq`: records sorted by node
   * ID, branches of at most 13 children (geth `MakeTree`).
   * @throws {DnsDiscError} INVALID_TREE for a node without a record or with a bad port entry,
   *   or a bad link
   */
  static make(seq: number, nodes: readonly Node[], links: readonly string[] = []): Tree {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(`seq: expected a non-negative integer, got ${seq}`);
    }
    const sorted = [...nodes].sort((a, b) => compareHex(bytesToHex(a.id), bytesToHex(b.id)));
    const records: TreeEntry[] = sorted.map((node) => ({ kind: 'enr', node: checkNode(node) }));
    const linkEntries: TreeEntry[] = links.map((url) => {
      try {
        return { kind: 'link', link: parseLink(url) };
      } catch (err) {
        throw new DnsDiscError('INVALID_TREE', `bad link '${url}': ${(err as Error).message}`, {
          cause: err,
        });
      }
    });
    const entries = new Map<string, TreeEntry>();
    const enrRoot = build(records, entries);
    const linkRoot = build(linkEntries, entries);
    const root = {
      enrRoot: add(enrRoot, entries),
      linkRoot: add(linkRoot, entries),
      seq,
      signature: new Uint8Array(65),
    };
    return new Tree(root, entries);
  }

  /**
   * A tree from a root and entries a sync downloaded, the root's signature checked.
   * @throws {DnsDiscError} INVALID_SIGNATURE unless `publicKey` signed the root
   */
  static fromParts(
    root: RootEntry,
    entries: ReadonlyMap<string, TreeEntry>,
    publicKey: Uint8Array,
  ): Tree {
    if (!verifyRoot(root, publicKey)) {
      throw new DnsDiscError('INVALID_SIGNATURE', 'invalid root signature', { entry: 'root' });
    }
    return new Tree(root, new Map(entries));
  }

  /** The sequence number. */
  get seq(): number {
    return this.root.seq;
  }

  /** The root signature as unpadded base64url (geth `Tree.Signature`). */
  get signature(): string {
    return Buffer.from(this.root.signature).toString('base64url');
  }

  /**
   * This tree signed by `privateKey` and its URL at `domain` (geth `Tree.Sign`).
   * @throws {DnsDiscError} INVALID_URL for a bad domain name
   */
  sign(privateKey: Uint8Array, domain: string): { tree: Tree; url: string } {
    const hash = keccak256(new TextEncoder().encode(rootSigningText(this.root)));
    const signature = signRecoverable(hash, privateKey);
    const link = makeLink(domain, publicKey(privateKey));
    return { tree: new Tree({ ...this.root, signature }, this.#entries), url: linkUrl(link) };
  }

  /**
   * This tree with `signature` (unpadded base64url) as its root signature, checked against
   * `publicKey` (geth `Tree.SetSignature`).
   * @throws {DnsDiscError} INVALID_SIGNATURE unless it is `publicKey`'s signature of the root
   */
  withSignature(publicKey: Uint8Array, signature: string): Tree {
    const bytes = Buffer.from(signature, 'base64url');
    const root = { ...this.root, signature: new Uint8Array(bytes) };
    if (bytes.length !== 65 || bytes.toString('base64url') !== signature) {
      throw new DnsDiscError('INVALID_SIGNATURE', 'invalid base64 signature', { entry: 'root' });
    }
    return Tree.fromParts(root, this.#entries, publicKey);
  }

  /**
   * Every TXT record of the tree: the root at `domain`, each entry at `<hash>.<domain>` (at
   * `<hash>` when `domain` is empty), sorted by name after the root (geth `Tree.ToTXT`).
   */
  toTxt(domain: string): Map<string, string> {
    const records = new Map([[domain, formatRoot(this.root)]]);
    const names = [...this.#entries.keys()].sort(compareHex);
    for (const hash of names) {
      const entry = this.#entries.get(hash);
      if (entry !== undefined)
        records.set(domain === '' ? hash : `${hash}.${domain}`, formatEntry(entry));
    }
    return records;
  }

  /** The nodes of the tree, by node ID. */
  nodes(): Node[] {
    const nodes: Node[] = [];
    for (const e of this.#entries.values()) if (e.kind === 'enr') nodes.push(e.node);
    return nodes.sort((a, b) => compareHex(bytesToHex(a.id), bytesToHex(b.id)));
  }

  /** The links of the tree as `enrtree://` URLs, sorted. */
  links(): string[] {
    const links: string[] = [];
    for (const e of this.#entries.values()) if (e.kind === 'link') links.push(linkUrl(e.link));
    return links.sort(compareHex);
  }
}

/** Builds the subtree over `entries` into `all`; returns its root (geth `Tree.build`). */
function build(entries: readonly TreeEntry[], all: Map<string, TreeEntry>): TreeEntry {
  if (entries.length === 1 && entries[0] !== undefined) return entries[0];
  if (entries.length <= MAX_BUILD_CHILDREN) {
    return { kind: 'branch', children: entries.map((e) => add(e, all)) };
  }
  const subtrees: TreeEntry[] = [];
  for (let i = 0; i < entries.length; i += MAX_BUILD_CHILDREN) {
    const sub = build(entries.slice(i, i + MAX_BUILD_CHILDREN), all);
    add(sub, all);
    subtrees.push(sub);
  }
  return build(subtrees, all);
}

function add(entry: TreeEntry, all: Map<string, TreeEntry>): string {
  const hash = entryHash(formatEntry(entry));
  all.set(hash, entry);
  return hash;
}

function checkNode(node: Node): Node {
  const record = node.record;
  const id = bytesToHex(node.id);
  if (record === undefined) {
    throw new DnsDiscError('INVALID_TREE', `can't add node ${id}: unsigned node record`);
  }
  try {
    for (const key of PORT_KEYS) void record[key];
  } catch (err) {
    throw new DnsDiscError('INVALID_TREE', `can't add node ${id}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return node;
}

function compareHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
