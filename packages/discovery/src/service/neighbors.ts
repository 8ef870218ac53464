/**
 * Turning Neighbors entries into usable {@link Node}s (geth `v4_udp.go` `nodeFromRPC`): entries
 * with a low UDP port, an IP the sender may not relay, an invalid key, or our own ID are dropped.
 * @module
 */
import { equalBytes } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import type { RelayIpRejection } from '../netutil.ts';
import type { NeighborNode } from '../wire/index.ts';

/**
 * UDP ports at or below this are refused in Neighbors entries (geth `errLowPort`). This also
 * covers port 0, which the issue names.
 */
export const MIN_NEIGHBOR_UDP_PORT = 1025;

/** Why a Neighbors entry was dropped. */
export type NeighborRejection =
  | 'low port'
  | 'no ip'
  | 'not allowed'
  | 'invalid key'
  | 'self'
  | RelayIpRejection;

/** Builds the node of a checked entry: `Node.fromPublicKey`, or a memo of it. */
export type NeighborNodeMaker = (
  publicKey: Uint8Array,
  endpoint: { readonly ip: string; readonly udp: number; readonly tcp?: number },
) => Node;

const fromPublicKey: NeighborNodeMaker = (publicKey, endpoint) =>
  Node.fromPublicKey(publicKey, endpoint);

/**
 * The node a Neighbors entry describes, or why it cannot be used. `relay` is the relay rule of
 * the packet's UDP source (`relayIpChecker(senderIp)`, made once per packet): LAN and loopback
 * addresses are accepted only from LAN and loopback senders (geth `CheckRelayAddr`). IPs that
 * `allowIp` refuses are dropped (geth's netrestrict check). `make` builds the node (default
 * `Node.fromPublicKey`; simulated nodes share a memo of it).
 */
export function nodeFromNeighbor(
  entry: NeighborNode,
  relay: (ip: string) => RelayIpRejection | undefined,
  selfId: Uint8Array,
  allowIp: (ip: string) => boolean = () => true,
  make: NeighborNodeMaker = fromPublicKey,
): Node | NeighborRejection {
  if (entry.udp < MIN_NEIGHBOR_UDP_PORT) return 'low port';
  if (entry.ip === undefined) return 'no ip';
  if (!allowIp(entry.ip)) return 'not allowed';
  const rejection = relay(entry.ip);
  if (rejection !== undefined) return rejection;
  let node: Node;
  try {
    // The decoder checked the IP and ports, so the key is all `fromPublicKey` can refuse here;
    // it checks that the key is on the curve, which is then done once, not twice.
    node = make(entry.publicKey, {
      ip: entry.ip,
      udp: entry.udp,
      ...(entry.tcp === 0 ? {} : { tcp: entry.tcp }),
    });
  } catch {
    return 'invalid key';
  }
  if (equalBytes(node.id, selfId)) return 'self';
  return node;
}
