/**
 * TXT records as JSON (geth `devp2p dns to-txt`) or as a zone file. Pure: no I/O.
 * @module
 */

/** TTL of the root record in a zone file: 30 min, so updates spread (geth `rootTTL`). */
export const ROOT_TTL_S: number = 30 * 60;
/** TTL of the other records: 4 weeks, as they never change (geth `treeNodeTTL`). */
export const TREE_NODE_TTL_S: number = 4 * 7 * 24 * 60 * 60;

/** The records as a JSON object of name to text, 4-space indent, names sorted (as geth). */
export function txtJson(records: ReadonlyMap<string, string>): string {
  const sorted = [...records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify(Object.fromEntries(sorted), null, 4)}\n`;
}

/**
 * The records as zone file lines: `<name>. <ttl> IN TXT "<chunk>" ...`, the root first with
 * {@link ROOT_TTL_S} and the rest with {@link TREE_NODE_TTL_S}, each record split into quoted
 * strings of at most 255 bytes (RFC 1035 §3.3.14). `root` is the name of the root record.
 */
export function txtZone(records: ReadonlyMap<string, string>, root: string): string {
  const lines: string[] = [];
  const names = [...records.keys()].sort((a, b) =>
    a === root ? -1 : b === root ? 1 : a < b ? -1 : 1,
  );
  for (const name of names) {
    const text = records.get(name) ?? '';
    const ttl = name === root ? ROOT_TTL_S : TREE_NODE_TTL_S;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 255) chunks.push(`"${text.slice(i, i + 255)}"`);
    lines.push(`${name === '' ? '@' : `${name}.`} ${ttl} IN TXT ${chunks.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
