/**
 * @ethp2p/dnsdisc: DNS node lists (EIP-1459). The signed `enrtree` codec, building and signing
 * trees, and a client that syncs trees lazily and yields their nodes to the dial scheduler.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */

export type { ClientConfig, DnsClientOptions } from './client.ts';
export { DnsClient } from './client.ts';
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_RECHECK_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
} from './constants.ts';
export type { RootEntry, TreeEntry, TreeLink } from './entries.ts';
export { parseLink as parseTreeUrl } from './entries.ts';
export type { DnsDiscErrorCode } from './errors.ts';
export { DnsDiscError } from './errors.ts';
export type { DnsSignalOptions } from './node-source.ts';
export { DnsNodeSource, LOOKUP_NODES } from './node-source.ts';
export type { DnsResolverOptions, TxtResolver } from './resolver.ts';
export { dnsResolver } from './resolver.ts';
export { Tree } from './tree.ts';
