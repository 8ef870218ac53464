/**
 * A tree definition directory, as geth's `devp2p dns` keeps it: `nodes.json` (the node set
 * format of `discv4 crawl`) and `enrtree-info.json` (`url`, `seq`, `signature`, `links`,
 * `lastModified`).
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DnsDiscError, parseTreeUrl, Tree } from '@ethp2p/dnsdisc';
import type { Node } from '@ethp2p/enode';
import { nodeIdToHex } from '@ethp2p/enode';
import { formatNodeSet, formatTime, type NodeSet } from '../discv4/nodeset.ts';
import { loadNodeSet, writeTextFile } from '../discv4/nodeset-file.ts';
import { failure } from '../errors.ts';

/** The metadata file of a tree directory. */
export const META_FILE = 'enrtree-info.json';
/** The nodes file of a tree directory. */
export const NODES_FILE = 'nodes.json';

/** `enrtree-info.json` (geth `dnsMetaJSON`). */
export interface TreeMeta {
  /** The tree's `enrtree://` URL, once signed. */
  readonly url?: string;
  readonly seq: number;
  /** The root signature (unpadded base64url), once signed. */
  readonly signature?: string;
  /** Links to other trees, as `enrtree://` URLs. */
  readonly links: readonly string[];
  /** Unix ms of the last write. */
  readonly lastModified?: number;
}

/** A tree directory's contents. */
export interface TreeDefinition {
  readonly meta: TreeMeta;
  readonly nodes: readonly Node[];
}

/**
 * Reads `<dir>/enrtree-info.json` (missing: seq 0, no links) and `<dir>/nodes.json`.
 * @throws {CliError} for unreadable or invalid files and bad links
 */
export async function loadTreeDefinition(dir: string): Promise<TreeDefinition> {
  const metaFile = join(dir, META_FILE);
  let text: string | undefined;
  try {
    text = await readFile(metaFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw failure(`cannot read ${metaFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  const meta = text === undefined ? { seq: 0, links: [] } : parseMeta(metaFile, text);
  const set = await loadNodeSet(join(dir, NODES_FILE), false);
  return { meta, nodes: [...set.values()].map((e) => e.node) };
}

function parseMeta(file: string, text: string): TreeMeta {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw failure(`${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  const bad = (what: string) => failure(`${file}: ${what}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not an object');
  const { url, seq = 0, signature, links = [] } = json as Record<string, unknown>;
  if (url !== undefined && typeof url !== 'string') throw bad("'url' is not a string");
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw bad("'seq' is not a non-negative integer");
  }
  if (signature !== undefined && typeof signature !== 'string') {
    throw bad("'signature' is not a string");
  }
  if (!Array.isArray(links) || !links.every((l) => typeof l === 'string')) {
    throw bad("'links' is not a list of strings");
  }
  for (const link of [...links, ...(url === undefined || url === '' ? [] : [url])]) {
    try {
      parseTreeUrl(link);
    } catch (err) {
      throw bad(`invalid link '${link}': ${(err as Error).message}`);
    }
  }
  return {
    ...(url === undefined || url === '' ? {} : { url }),
    seq,
    ...(signature === undefined || signature === '' ? {} : { signature }),
    links,
  };
}

/**
 * The signed tree of a directory and its domain, the signature checked against the URL's key
 * (geth `loadTreeDefinitionForExport`).
 * @throws {CliError} when the directory is not signed, or its signature does not match
 */
export function signedTree(dir: string, def: TreeDefinition): { domain: string; tree: Tree } {
  const { url, signature, seq, links } = def.meta;
  if (url === undefined) throw failure(`missing 'url' in ${join(dir, META_FILE)}`);
  if (signature === undefined) throw failure("missing signature, run 'ethp2p dns sign' first");
  const link = parseTreeUrl(url);
  try {
    const tree = buildTree(seq, def.nodes, links).withSignature(link.publicKey, signature);
    return { domain: link.domain, tree };
  } catch (err) {
    if (err instanceof DnsDiscError && err.code === 'INVALID_SIGNATURE') {
      throw failure("invalid signature on tree, run 'ethp2p dns sign' to update it", {
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * The tree of `nodes` and `links` at `seq`.
 * @throws {CliError} for a node that cannot be in a tree
 */
export function buildTree(seq: number, nodes: readonly Node[], links: readonly string[]): Tree {
  try {
    return Tree.make(seq, nodes, links);
  } catch (err) {
    if (err instanceof DnsDiscError) throw failure(err.message, { cause: err });
    throw err;
  }
}

/** Writes `enrtree-info.json` for a signed tree (creating `dir`). */
export async function writeTreeMeta(
  dir: string,
  url: string,
  tree: Tree,
  now: number,
): Promise<void> {
  const meta = {
    url,
    seq: tree.seq,
    signature: tree.signature,
    links: tree.links(),
    lastModified: formatTime(now),
  };
  await writeAtomic(dir, META_FILE, `${JSON.stringify(meta, null, 4)}\n`);
}

/** Writes the tree's nodes as `nodes.json` (creating `dir`). */
export async function writeTreeNodes(dir: string, tree: Tree): Promise<void> {
  const set: NodeSet = new Map(
    tree
      .nodes()
      .map((node) => [
        nodeIdToHex(node.id),
        { node, score: 0, firstResponse: undefined, lastResponse: undefined, lastCheck: undefined },
      ]),
  );
  await writeAtomic(dir, NODES_FILE, formatNodeSet(set));
}

async function writeAtomic(dir: string, name: string, text: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o755 });
  } catch (err) {
    throw failure(`cannot create ${dir}: ${(err as Error).message}`, { cause: err });
  }
  await writeTextFile(join(dir, name), text);
}
