/**
 * @ethp2p/dnsdisc: DNS node lists (EIP-1459). The signed `enrtree` codec, building and signing
 * trees, and a client that syncs trees lazily and yields their nodes to the dial scheduler.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */

export type { RootEntry, TreeEntry, TreeLink } from './entries.ts';
export { parseLink as parseTreeUrl } from './entries.ts';
export type { DnsDiscErrorCode } from './errors.ts';
export { DnsDiscError } from './errors.ts';
export { Tree } from './tree.ts';
