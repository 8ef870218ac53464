/**
 * RLP-aware mutations: the value is read as an RLP tree (after an optional one-byte prefix such
 * as a packet type, with any trailing bytes kept), one node is changed, and the tree is written
 * back. Nodes may be replaced by hostile shapes written verbatim: list bombs (millions of tiny
 * items), nesting bombs, huge or truncated length headers and non-canonical encodings. Header
 * edits change one length prefix in place, leaving the enclosing lengths as they were.
 * @module
 */
import { encodeBytes, encodeList, type RlpItem, readItem } from '@ethp2p/base/rlp';
import { concatBytes } from '@ethp2p/crypto';
import type { FuzzRandom } from '../target.ts';
import { mutateBytes } from './bytes.ts';

/** A node of the tree being mutated; `raw` bytes are written as they are. */
type Node =
  | { kind: 'str'; bytes: Uint8Array }
  | { kind: 'list'; items: Node[] }
  | { kind: 'raw'; bytes: Uint8Array };

/** Deeper lists are kept whole as raw nodes. */
const MAX_PARSE_DEPTH = 32;
/** A tree with more nodes is only mutated byte-wise. */
const MAX_PARSE_NODES = 4096;
/** Header positions collected by a header edit. */
const MAX_HEADERS = 4096;

/** Item counts of list bombs: around the eth limits, then the RLP bomb of issue 15. */
const BOMB_ITEMS: readonly number[] = [16, 1025, 4097, 5001, 65_536, 1_000_000, 4_900_000];
/** Nesting depths of nesting bombs. */
const BOMB_DEPTHS: readonly number[] = [17, 64, 1024, 100_000];
/** What a list bomb repeats: one-byte items, empty strings, empty lists, 32-byte hashes. */
const BOMB_ITEMS_BYTES: readonly Uint8Array[] = [
  Uint8Array.of(0x01),
  Uint8Array.of(0x80),
  Uint8Array.of(0xc0),
  concatBytes(Uint8Array.of(0xa0), new Uint8Array(32).fill(0x11)),
];
/** Length headers that announce far more than any input holds. */
const HUGE_HEADERS: readonly Uint8Array[] = [
  Uint8Array.of(0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
  Uint8Array.of(0xbb, 0x7f, 0xff, 0xff, 0xff),
  Uint8Array.of(0xfb, 0x7f, 0xff, 0xff, 0xff),
  Uint8Array.of(0xfa, 0x00, 0x10, 0x00),
  Uint8Array.of(0xb9, 0xff, 0xff),
];

/** Bytes of the shortest RLP header for a payload of `size` bytes. */
function headerLength(size: number): number {
  let n = 1;
  for (let v = size; size >= 56 && v > 0; v = Math.floor(v / 256)) n++;
  return n;
}

/** Writes the shortest header of a string (`0x80`) or list (`0xc0`) of `size` bytes at `pos`. */
function writeHeader(out: Uint8Array, pos: number, base: 0x80 | 0xc0, size: number): void {
  const n = headerLength(size) - 1;
  if (n === 0) {
    out[pos] = base + size;
    return;
  }
  out[pos] = base + 55 + n;
  for (let i = n, v = size; i > 0; i--, v = Math.floor(v / 256)) out[pos + i] = v % 256;
}

/** The shortest RLP header of a string (`0x80`) or list (`0xc0`) of `size` bytes. */
function header(base: 0x80 | 0xc0, size: number): Uint8Array {
  const out = new Uint8Array(headerLength(size));
  writeHeader(out, 0, base, size);
  return out;
}

function pick<T>(random: FuzzRandom, from: readonly T[]): T {
  return from[random.intn(from.length)] as T;
}

/** `count` copies of `item` end to end, by doubling copies (a few calls for millions). */
function repeat(item: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(Math.max(0, count) * item.length);
  if (out.length === 0) return out;
  out.set(item, 0);
  for (let filled = item.length; filled < out.length; filled *= 2) {
    out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
  }
  return out;
}

/** `count` copies of `item` in one list, at most about `maxBytes`. */
function listBomb(random: FuzzRandom, maxBytes: number): Uint8Array {
  const item = pick(random, BOMB_ITEMS_BYTES);
  const counts = random.intn(8) === 0 ? BOMB_ITEMS : BOMB_ITEMS.slice(0, 4);
  const count = Math.max(1, Math.min(pick(random, counts), Math.floor(maxBytes / item.length)));
  const payload = repeat(item, count);
  return concatBytes(header(0xc0, payload.length), payload);
}

/** An empty list nested `depth` times, at most about `maxBytes`. */
function nestingBomb(random: FuzzRandom, maxBytes: number): Uint8Array {
  const depth = Math.max(1, Math.min(pick(random, BOMB_DEPTHS), Math.floor(maxBytes / 5)));
  // sizes from the innermost list out, then written into one buffer from the end
  const sizes = new Float64Array(depth);
  let size = 0;
  for (let d = 0; d < depth; d++) {
    sizes[d] = size;
    size += headerLength(size);
  }
  const out = new Uint8Array(size);
  let pos = size;
  for (let d = 0; d < depth; d++) {
    const inner = sizes[d] as number;
    pos -= headerLength(inner);
    writeHeader(out, pos, 0xc0, inner);
  }
  return out;
}

/** A hostile or edge-case item to put in place of a node. */
function replacement(random: FuzzRandom, maxBytes: number): Node {
  const raw = (bytes: Uint8Array): Node => ({ kind: 'raw', bytes });
  switch (random.intn(12)) {
    case 0:
      return { kind: 'str', bytes: new Uint8Array(0) };
    case 1:
      return { kind: 'list', items: [] };
    case 2:
      return { kind: 'str', bytes: random.bytes(random.intn(40)) };
    case 3:
      return { kind: 'str', bytes: random.bytes(56 + random.intn(1100)) };
    case 4: // integers one byte too wide for their field, and 0xff.. extremes
      return {
        kind: 'str',
        bytes: new Uint8Array(pick(random, [2, 3, 5, 7, 8, 9, 17, 32, 33])).fill(0xff),
      };
    case 5: // leading zeros
      return { kind: 'str', bytes: concatBytes(Uint8Array.of(0), random.bytes(random.intn(8))) };
    case 6: // a single byte below 0x80 wrapped in a string header
      return raw(Uint8Array.of(0x81, random.intn(0x80)));
    case 7: {
      // the long form for a short payload
      const n = random.intn(56);
      return raw(
        concatBytes(Uint8Array.of(random.intn(2) === 0 ? 0xb8 : 0xf8, n), random.bytes(n)),
      );
    }
    case 8:
      return raw(listBomb(random, maxBytes));
    case 9:
      return raw(nestingBomb(random, maxBytes));
    case 10:
      return raw(concatBytes(pick(random, HUGE_HEADERS), random.bytes(random.intn(8))));
    default: {
      // a header announcing a little more than follows
      const n = 1 + random.intn(200);
      const h = header(random.intn(2) === 0 ? 0x80 : 0xc0, n + 1 + random.intn(4));
      return raw(concatBytes(h, random.bytes(n)));
    }
  }
}

function parseNode(it: RlpItem, depth: number, count: { n: number }): Node {
  if (++count.n > MAX_PARSE_NODES) throw new RangeError('tree too big');
  if (!it.list) return { kind: 'str', bytes: it.payload };
  if (depth >= MAX_PARSE_DEPTH) return { kind: 'raw', bytes: it.raw };
  const items: Node[] = [];
  for (let pos = 0; pos < it.payload.length; ) {
    const child = readItem(it.payload, pos);
    items.push(parseNode(child, depth + 1, count));
    pos += child.raw.length;
  }
  return { kind: 'list', items };
}

/** The tree of `data` (its item at offset 0, else at offset 1), or undefined. */
function parseTree(
  data: Uint8Array,
): { prefix: Uint8Array; root: Node; suffix: Uint8Array } | undefined {
  for (const offset of [0, 1]) {
    try {
      const it = readItem(data, offset);
      const root = parseNode(it, 0, { n: 0 });
      return {
        prefix: data.subarray(0, offset),
        root,
        suffix: data.subarray(offset + it.raw.length),
      };
    } catch {
      // not RLP at this offset (or too big to mutate as a tree)
    }
  }
  return undefined;
}

function encodeNode(node: Node): Uint8Array {
  if (node.kind === 'raw') return node.bytes;
  if (node.kind === 'str') return encodeBytes(node.bytes);
  return encodeList(node.items.map(encodeNode));
}

/** Every node with the list holding it (none for the root). */
function collect(root: Node): { node: Node; parent?: Node[]; index: number }[] {
  const out: { node: Node; parent?: Node[]; index: number }[] = [{ node: root, index: 0 }];
  for (let i = 0; i < out.length; i++) {
    const { node } = out[i] as { node: Node };
    if (node.kind === 'list') {
      node.items.forEach((child, index) => {
        out.push({ node: child, parent: node.items, index });
      });
    }
  }
  return out;
}

/** Changes `node` (or its place in `parent`) in one random way. */
function mutateNode(
  node: Node,
  parent: Node[] | undefined,
  random: FuzzRandom,
  maxBytes: number,
): Node {
  const choice = random.intn(10);
  if (node.kind === 'list' && choice < 5) {
    const items = node.items;
    const at = random.intn(items.length + 1);
    switch (choice) {
      case 0:
        if (items.length > 0) items.splice(at, 0, items[random.intn(items.length)] as Node);
        else items.push(replacement(random, maxBytes));
        return node;
      case 1:
        if (items.length > 0) items.splice(random.intn(items.length), 1);
        return node;
      case 2: {
        // repeat one element many times: a bomb of the list's own element shape
        const el = items[random.intn(Math.max(1, items.length))] ?? replacement(random, maxBytes);
        const encoded = encodeNode(el);
        const n = Math.min(
          pick(random, [2, 17, 1025, 5001, 70_000]),
          Math.floor(maxBytes / encoded.length),
        );
        items.push({ kind: 'raw', bytes: repeat(encoded, n) });
        return node;
      }
      case 3:
        items.splice(at, 0, replacement(random, maxBytes));
        return node;
      default:
        return items.length === 1 ? (items[0] as Node) : { kind: 'list', items: [node] };
    }
  }
  if (node.kind === 'str' && choice < 5) {
    return { kind: 'str', bytes: mutateBytes(node.bytes, random, random.bytes(8)) };
  }
  if (choice < 7 && parent !== undefined) {
    const other = parent[random.intn(parent.length)] as Node;
    parent[random.intn(parent.length)] = node;
    return other;
  }
  return replacement(random, maxBytes);
}

/**
 * One RLP-aware mutation of `data`, or undefined when `data` holds no RLP item to work on.
 * `maxBytes` bounds the bombs.
 */
export function mutateRlp(
  data: Uint8Array,
  random: FuzzRandom,
  maxBytes: number,
): Uint8Array | undefined {
  const tree = parseTree(data);
  if (tree === undefined) return undefined;
  const nodes = collect(tree.root);
  const { node, parent, index } = nodes[random.intn(nodes.length)] as (typeof nodes)[number];
  const next = mutateNode(node, parent, random, maxBytes);
  let root = tree.root;
  if (parent === undefined) root = next;
  else parent[index] = next;
  return concatBytes(tree.prefix, encodeNode(root), tree.suffix);
}

/** Where each item header of `data` starts, how long it is, and its kind and size. */
function headers(data: Uint8Array): { pos: number; len: number; list: boolean; size: number }[] {
  const out: { pos: number; len: number; list: boolean; size: number }[] = [];
  const stack: { end: number; pos: number }[] = [{ pos: 0, end: data.length }];
  while (stack.length > 0 && out.length < MAX_HEADERS) {
    const top = stack[stack.length - 1] as { end: number; pos: number };
    if (top.pos >= top.end) {
      stack.pop();
      continue;
    }
    let it: RlpItem;
    try {
      it = readItem(data.subarray(0, top.end), top.pos);
    } catch {
      stack.pop();
      continue;
    }
    const len = it.raw.length - it.payload.length;
    if (len > 0) out.push({ pos: top.pos, len, list: it.list, size: it.payload.length });
    top.pos += it.raw.length;
    if (it.list) stack.push({ pos: top.pos - it.payload.length, end: top.pos });
  }
  return out;
}

/**
 * Rewrites one length header of `data` (a size off by a little or by a lot, the other kind,
 * the long form for a short size), or undefined when `data` has no header.
 */
export function editHeader(data: Uint8Array, random: FuzzRandom): Uint8Array | undefined {
  const all = headers(data);
  if (all.length === 0) return undefined;
  const h = pick(random, all);
  const list = random.intn(5) === 0 ? !h.list : h.list;
  const base = list ? 0xc0 : 0x80;
  let replacementHeader: Uint8Array;
  switch (random.intn(4)) {
    case 0:
      replacementHeader = header(base, Math.max(0, h.size + pick(random, [-2, -1, 1, 2])));
      break;
    case 1:
      replacementHeader = header(base, random.intn(1 << random.intn(25)));
      break;
    case 2:
      replacementHeader = Uint8Array.of(base + 56, h.size & 0xff);
      break;
    default:
      replacementHeader = pick(random, HUGE_HEADERS);
  }
  return concatBytes(data.subarray(0, h.pos), replacementHeader, data.subarray(h.pos + h.len));
}
