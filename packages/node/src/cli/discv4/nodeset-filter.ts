/**
 * Filters and statistics of node sets for `ethp2p nodeset` (geth `cmd/devp2p/nodesetcmd.go`).
 * Pure: no I/O.
 * @module
 */
import { compatibleNodeFilter, newForkFilter } from '@ethp2p/eth';
import { NetRestrict } from '@ethp2p/server';
import { isNetworkName, NETWORK_NAMES, type NetworkName, networkChain } from '../../node/chain.ts';
import type { NodeSet, NodeSetEntry } from './nodeset.ts';

/** A test on one entry of a set. */
export type NodeSetFilter = (entry: NodeSetEntry) => boolean;

/** How long a node has been answering: last response minus first (geth's node age). */
export function nodeAge(entry: NodeSetEntry): number {
  const { firstResponse, lastResponse } = entry;
  if (firstResponse === undefined || lastResponse === undefined) return 0;
  return Math.max(0, lastResponse - firstResponse);
}

/**
 * `-ip <cidr>`: the node's IP address is in the network.
 * @throws {TypeError|RangeError} when `cidr` is not `<ip>/<prefix length>`
 */
export function ipFilter(cidr: string): NodeSetFilter {
  const net = new NetRestrict([cidr]);
  return (e) => e.node.ip !== undefined && net.contains(e.node.ip);
}

/** `-min-age <duration>`: the node has answered for at least `ms`. */
export function minAgeFilter(ms: number): NodeSetFilter {
  return (e) => nodeAge(e) >= ms;
}

/**
 * `-eth-network <name>`: the record's `eth` fork ID is compatible with the network (a node at
 * any fork of it passes, as with geth's static filter at genesis).
 */
export function ethNetworkFilter(name: NetworkName): NodeSetFilter {
  const chain = networkChain(name);
  const genesis = chain.genesis();
  const accept = compatibleNodeFilter(
    newForkFilter(chain.config, () => ({ number: genesis.number, time: genesis.time })),
  );
  return (e) => accept(e.node);
}

/** `-snap`: the record has a `snap` entry. */
export const snapFilter: NodeSetFilter = (e) => e.node.record?.get('snap') !== undefined;

/** `-tcp`: the node has a TCP port, so it can be dialed (not in geth). */
export const tcpFilter: NodeSetFilter = (e) => e.node.tcp !== undefined && e.node.tcp !== 0;

/** The network named `name`, or `undefined`. */
export function networkOf(name: string): NetworkName | undefined {
  return isNetworkName(name) ? name : undefined;
}

/** The entries that pass every filter. */
export function filterNodeSet(set: NodeSet, filters: readonly NodeSetFilter[]): NodeSet {
  return new Map([...set].filter(([, e]) => filters.every((f) => f(e))));
}

/** The `n` entries with the highest scores (ties by node ID), as geth's `-limit`. */
export function topNodes(set: NodeSet, n: number): NodeSet {
  if (n >= set.size) return set;
  const sorted = [...set].sort(([a, x], [b, y]) => y.score - x.score || (a < b ? -1 : 1));
  return new Map(sorted.slice(0, n));
}

/** Upper bounds of the age buckets of {@link nodeSetInfo}; the last bucket is open. */
const AGE_BUCKETS: readonly { readonly label: string; readonly below: number }[] = [
  { label: '< 1h', below: 3_600_000 },
  { label: '1h-1d', below: 86_400_000 },
  { label: '1d-7d', below: 7 * 86_400_000 },
  { label: '7d-30d', below: 30 * 86_400_000 },
  { label: '>= 30d', below: Number.POSITIVE_INFINITY },
];

/**
 * The lines `nodeset info` prints: the size, how many nodes have each filter's property, and
 * how many fall in each age bucket.
 */
export function nodeSetInfo(set: NodeSet): string[] {
  const entries = [...set.values()];
  const count = (f: NodeSetFilter): number => entries.filter(f).length;
  const rows: [string, number][] = [
    ['tcp', count(tcpFilter)],
    ['snap', count(snapFilter)],
    ['eth', count((e) => e.node.record?.get('eth') !== undefined)],
    ...NETWORK_NAMES.map((n): [string, number] => [`eth-network ${n}`, count(ethNetworkFilter(n))]),
  ];
  const ages = AGE_BUCKETS.map((b, i): [string, number] => {
    const above = AGE_BUCKETS[i - 1]?.below ?? 0;
    return [b.label, count((e) => nodeAge(e) >= above && nodeAge(e) < b.below)];
  });
  return [
    `Set contains ${set.size} nodes.`,
    'Nodes by filter:',
    ...table(rows),
    'Age (last response - first response):',
    ...table(ages),
  ];
}

function table(rows: readonly [string, number][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, n]) => `  ${`${label}:`.padEnd(width + 2)}${n}`);
}
