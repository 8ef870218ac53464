/**
 * The public DNS node lists (EIP-1459) of the built-in networks: configuration only, never
 * contacted by tests (geth `params.KnownDNSNetwork`, the lists of ethereum/discv4-dns-lists).
 * @module
 */
import type { NetworkName } from './chain.ts';

/** The key that signs the public lists (geth `dnsPrefix`). */
const DNS_PREFIX = 'enrtree://AKA3AM6LPBYEUDMVNU3BSVQJ5AD45Y7YPOHJLEF6W26QOE4VTUDPE@';

/** The `all` list of each built-in network: every node the crawlers found on it. */
export const NETWORK_DNS_TREES: Readonly<Record<NetworkName, string>> = Object.freeze({
  mainnet: `${DNS_PREFIX}all.mainnet.ethdisco.net`,
  sepolia: `${DNS_PREFIX}all.sepolia.ethdisco.net`,
  holesky: `${DNS_PREFIX}all.holesky.ethdisco.net`,
  hoodi: `${DNS_PREFIX}all.hoodi.ethdisco.net`,
});
