/**
 * @ethp2p/dnsdisc/codec: the EIP-1459 entry codec on its own, for tools, interop tests and the
 * fuzzer: parsing and formatting of root, branch, `enr:` and link entries, and their subdomain
 * hashes. Pure: no I/O. `DnsClient` in `@ethp2p/dnsdisc` runs it on the records it resolves.
 * Parsers throw only `DnsDiscError` for bad text.
 * @see https://eips.ethereum.org/EIPS/eip-1459
 * @module
 */

export type { RootEntry, TreeEntry, TreeLink } from './entries.ts';
export {
  entryHash,
  formatEntry,
  formatRoot,
  hashMatches,
  parseEntry,
  parseLink,
  parseRoot,
  verifyRoot,
} from './entries.ts';
