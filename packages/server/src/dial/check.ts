/**
 * `checkDial`: whether a node may be dialed now, and if not, the first reason why (geth
 * `dialScheduler.checkDial`).
 * @module
 */
import type { Node } from '@ethp2p/enode';
import type { NetRestrict } from '../netrestrict.ts';

/** Why a node is not dialed. */
export const DIAL_SKIP_REASON = {
  /** It is us. */
  SELF: 'self',
  /** Its node ID is banned. */
  BANNED: 'banned',
  /** A dynamic candidate whose reputation score is below `DIAL_MIN_REPUTATION`. */
  LOW_REPUTATION: 'low-reputation',
  /** It has no IP address (or hostname) with a TCP port. */
  NO_ENDPOINT: 'no-endpoint',
  /** A dial to it is running. */
  DIALING: 'dialing',
  /** It is a connected peer. */
  CONNECTED: 'connected',
  /** It is connecting to us: its inbound handshake passed the first checkpoint. */
  PENDING_INBOUND: 'pending-inbound',
  /** Its IP is outside NetRestrict (or, with NetRestrict, it has only a hostname). */
  NETRESTRICT: 'netrestrict',
  /** It was dialed less than the history expiration ago. */
  RECENTLY_DIALED: 'recently-dialed',
} as const;

/** Why a node is not dialed. */
export type DialSkipReason = (typeof DIAL_SKIP_REASON)[keyof typeof DIAL_SKIP_REASON];

/** The scheduler state a check reads. */
export interface DialCheckState {
  readonly selfKey: string;
  readonly netRestrict: NetRestrict | undefined;
  isDialing(key: string): boolean;
  isConnected(key: string): boolean;
  isPendingInbound(key: string): boolean;
  inHistory(key: string): boolean;
  /** Whether node `key` is banned. */
  isBanned(key: string): boolean;
}

/**
 * The first check `node` (ID hex `key`) fails, in geth's order (the ban list right after self),
 * or `undefined` if it may be
 * dialed. `resolvable` lets a node without any address pass the endpoint and NetRestrict checks:
 * a static node that the dial task resolves first (and checks again with
 * {@link checkEndpoint}).
 */
export function checkDial(
  state: DialCheckState,
  node: Node,
  key: string,
  resolvable = false,
): DialSkipReason | undefined {
  if (key === state.selfKey) return DIAL_SKIP_REASON.SELF;
  if (state.isBanned(key)) return DIAL_SKIP_REASON.BANNED;
  const unresolved = resolvable && node.ip === undefined && node.hostname === undefined;
  if (!unresolved && !hasEndpoint(node)) return DIAL_SKIP_REASON.NO_ENDPOINT;
  if (state.isDialing(key)) return DIAL_SKIP_REASON.DIALING;
  if (state.isConnected(key)) return DIAL_SKIP_REASON.CONNECTED;
  if (state.isPendingInbound(key)) return DIAL_SKIP_REASON.PENDING_INBOUND;
  if (!unresolved && !allowed(state.netRestrict, node)) return DIAL_SKIP_REASON.NETRESTRICT;
  if (state.inHistory(key)) return DIAL_SKIP_REASON.RECENTLY_DIALED;
  return undefined;
}

/** The endpoint and NetRestrict checks alone, for a node the source just resolved. */
export function checkEndpoint(
  netRestrict: NetRestrict | undefined,
  node: Node,
): DialSkipReason | undefined {
  if (!hasEndpoint(node)) return DIAL_SKIP_REASON.NO_ENDPOINT;
  if (!allowed(netRestrict, node)) return DIAL_SKIP_REASON.NETRESTRICT;
  return undefined;
}

function hasEndpoint(node: Node): boolean {
  return node.tcp !== undefined && node.tcp !== 0 && (node.ip ?? node.hostname) !== undefined;
}

function allowed(netRestrict: NetRestrict | undefined, node: Node): boolean {
  if (netRestrict === undefined) return true;
  return node.ip !== undefined && netRestrict.contains(node.ip);
}
