/**
 * Capability matching: which of our protocols run with a peer, and where each one's message
 * codes start (geth `p2p/peer.go` `matchProtocols`).
 * @see https://github.com/ethereum/devp2p/blob/master/rlpx.md#message-id-based-multiplexing
 * @module
 */
import type { Cap, Protocol } from './protocol.ts';
import { BASE_PROTOCOL_LENGTH } from './wire/constants.ts';

/** A protocol that runs with a peer, and the first wire code of its code space. */
export interface MatchedProtocol {
  readonly protocol: Protocol;
  /** The wire code of the protocol's code 0 (16 or more). */
  readonly offset: number;
}

/** Orders caps by name (code-unit order, which is byte order for ASCII), then by version. */
export function compareCaps(a: Cap, b: Cap): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.version - b.version;
}

/** The caps of `protocols` sorted by name then version, as announced in our Hello. */
export function capsOf(protocols: readonly Protocol[]): Cap[] {
  return protocols.map((p) => ({ name: p.name, version: p.version })).sort(compareCaps);
}

/**
 * The protocols to run with a peer that announced `remoteCaps`: for each name, only the highest
 * version both sides support, laid out in alphabetical order of name from code 16
 * ({@link BASE_PROTOCOL_LENGTH}), each advancing the next offset by its `length`. If `local`
 * holds the same name and version twice, the first one wins.
 * @example
 * ```ts
 * // eth/68 (17 codes) and snap/1 (8 codes): eth at 0x10..0x20, snap at 0x21..0x28
 * matchProtocols([eth68, snap1], [{ name: 'eth', version: 68 }, { name: 'snap', version: 1 }]);
 * ```
 */
export function matchProtocols(
  local: readonly Protocol[],
  remoteCaps: readonly Cap[],
): MatchedProtocol[] {
  const remote = new Set(remoteCaps.map((c) => capKey(c.name, c.version)));
  const best = new Map<string, Protocol>();
  for (const p of local) {
    if (!remote.has(capKey(p.name, p.version))) continue;
    const seen = best.get(p.name);
    if (seen === undefined || p.version > seen.version) best.set(p.name, p);
  }
  let offset = BASE_PROTOCOL_LENGTH;
  return [...best.values()].sort(compareCaps).map((protocol) => {
    const matched = { protocol, offset };
    offset += protocol.length;
    return matched;
  });
}

function capKey(name: string, version: number): string {
  return `${name}/${version}`;
}
